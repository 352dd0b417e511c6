# Issue 13: Copy-NexusData and Import-NexusData into tenant-keyed stores (partitioned on one
# PostgreSQL, distributed on a Citus coordinator and two workers) load and verify; file_metadata
# gets its file's tenant_id, which no source row carries; reading such a store (copy, export)
# gives exactly the plain columns, so every checksum is the same on every layout.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Layouts = @(@{ Layout = 'partitioned' }, @{ Layout = 'distributed' })
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "layout-transfer-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null

    # The Citus cluster of this run (scripts/lib/citus.sh starts it once); null, with the reason in
    # $CitusSkip, where there is none.
    function Get-CitusCluster {
        if ($script:CitusChecked) { return $script:Citus }
        $script:CitusChecked = $true
        $script:Citus = $null
        if (-not $env:NEXUS_CITUS_ROOT) { $script:CitusSkip = 'no Citus root (run through scripts/test.sh)'; return $null }
        $out = @(& bash (Join-Path $PSScriptRoot '../scripts/lib/citus.sh') start 2>&1)
        if ($LASTEXITCODE -ne 0) { throw "scripts/lib/citus.sh start failed: $($out -join "`n")" }
        $vars = @{}
        foreach ($line in $out) { if ("$line" -match '^(\w+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
        if ($vars['SKIP']) { $script:CitusSkip = $vars['SKIP']; return $null }
        $script:Citus = $vars
        $vars
    }

    # A migrated, empty store converted with Convert-NexusStore: 4 hash partitions, or on Citus a
    # database of its own on the coordinator and both workers, 8 shards.
    function New-KeyedStore([string] $Layout) {
        if ($Layout -eq 'partitioned') {
            $cs = New-FixtureStore postgres
        }
        else {
            $c = Get-CitusCluster
            $name = "nexus_t_$([guid]::NewGuid().ToString('N').Substring(0, 16))"
            $ports = @($c.COORDINATOR_PORT) + ($c.WORKER_PORTS -split ',')
            foreach ($port in $ports) {
                Invoke-TestSql "postgresql://nexus:$($c.PASSWORD)@127.0.0.1:$port/postgres" "CREATE DATABASE $name" | Out-Null
                Invoke-TestSql "postgresql://nexus:$($c.PASSWORD)@127.0.0.1:$port/$name" 'CREATE EXTENSION citus' | Out-Null
            }
            $cs = "postgresql://nexus:$($c.PASSWORD)@127.0.0.1:$($ports[0])/$name"
            Invoke-TestSql $cs "SELECT citus_set_coordinator_host('127.0.0.1', $($ports[0])); SELECT citus_add_node('127.0.0.1', $($ports[1])); SELECT citus_add_node('127.0.0.1', $($ports[2]));" | Out-Null
        }
        $store = Connect-StoreForTest $cs -NoDefault
        try { Convert-NexusStore -Store $store -Layout $Layout -Partitions $(if ($Layout -eq 'partitioned') { 4 } else { 8 }) -Confirm:$false | Out-Null }
        finally { Disconnect-NexusStore -Store $store }
        $cs
    }

    function Remove-KeyedStore([string] $ConnectionString) {
        if (-not $ConnectionString) { return }
        if ($script:Citus -and $ConnectionString -match "@127\.0\.0\.1:$($Citus.COORDINATOR_PORT)/(?<db>nexus_t_[0-9a-f]+)$") {
            foreach ($port in @($Citus.COORDINATOR_PORT) + ($Citus.WORKER_PORTS -split ',')) {
                Invoke-TestSql "postgresql://nexus:$($Citus.PASSWORD)@127.0.0.1:$port/postgres" "DROP DATABASE IF EXISTS $($Matches.db) WITH (FORCE)" | Out-Null
            }
            return
        }
        Remove-TestDatabase $ConnectionString
    }

    # What the catalog says about the store's keys and indexes (a partition's included), to show a
    # load that dropped and rebuilt them left exactly what was there.
    function Get-KeyCatalog([string] $ConnectionString) {
        @(Invoke-TestSql $ConnectionString @'
SELECT c.relname || ' ' || i.relname || ' ' || x.indisvalid || ' ' || pg_get_indexdef(x.indexrelid)
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
 WHERE c.relnamespace = 'public'::regnamespace AND (c.relname LIKE 'file\_%' OR c.relname LIKE 'content\_chunks%')
UNION ALL
SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f')
 ORDER BY 1
'@)
    }

    # Attribute rows whose tenant_id is not their file's (none in a correct keyed store), and the
    # attribute rows per tenant.
    function Get-TenantFacts([string] $ConnectionString) {
        [pscustomobject]@{
            Wrong    = [int](Invoke-TestSql $ConnectionString 'SELECT count(*) FROM file_metadata m LEFT JOIN file_paths p ON p.path_id = m.path_id AND p.tenant_id = m.tenant_id WHERE p.path_id IS NULL')
            ByTenant = @(Invoke-TestSql $ConnectionString 'SELECT tenant_id || ''='' || count(*) FROM file_metadata GROUP BY tenant_id ORDER BY tenant_id') -join ','
        }
    }

    function Read-Manifest([string] $Folder) { Get-Content -Raw (Join-Path $Folder 'manifest.json') | ConvertFrom-Json }
    function New-Folder { Join-Path $Work ([guid]::NewGuid().ToString('N').Substring(0, 8)) }

    # A SQLite source holding an attribute row whose file record does not exist (foreign keys off).
    function New-OrphanSource {
        $cs = New-FixtureStore sqlite
        Add-FixtureRows $cs
        Invoke-TestSql $cs "PRAGMA foreign_keys = OFF; INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES ('66666666-0000-4000-8000-000000000001', '99999999-0000-4000-8000-000000000001', 'lost', '1', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z')" | Out-Null
        $cs
    }
}

AfterAll {
    if ($Work -and (Test-Path -LiteralPath $Work)) { Remove-Item -LiteralPath $Work -Recurse -Force }
}

Describe 'Copy and import into a <Layout> store' -Tag 'postgres' -ForEach $Layouts -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $script:Skip = $null
        if ($Layout -eq 'distributed' -and -not (Get-CitusCluster)) { $script:Skip = "no Citus cluster: $CitusSkip"; return }
        $source = New-FixtureStore sqlite
        Add-FixtureRows $source
        $keyed = New-KeyedStore $Layout
        $keysBefore = Get-KeyCatalog $keyed
        $copy = @(Copy-NexusData -Source $source -Destination $keyed -Verbose 4>&1)
        $results = @($copy | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $said = ($copy | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        $others = [System.Collections.Generic.List[string]]::new()
    }
    AfterAll {
        if ($Skip) { return }
        Remove-TestDatabase $source
        Remove-KeyedStore $keyed
        foreach ($cs in $others) { if ($cs -like 'sqlite:*') { Remove-TestDatabase $cs } else { Remove-KeyedStore $cs } }
    }
    It 'copies SQLite into it verified: every row, the source''s checksums' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $results.Table | Should -Be @('file_paths', 'file_metadata', 'content_chunks')
        $results.RowsWritten | Should -Be @(3, 15, 2)
        $results.Match | Should -Be @($true, $true, $true)
        foreach ($r in $results) { $r.DestinationChecksum | Should -Be $r.SourceChecksum }
        foreach ($table in 'file_paths', 'file_metadata', 'content_chunks') {
            Get-TableDump $keyed $table | Should -Be (Get-TableDump $source $table) -Because $table
        }
        $before = Get-AttributeValues $source
        $after = Get-AttributeValues $keyed
        foreach ($key in $before.Keys) { ConvertTo-SortedJson $after[$key] | Should -Be (ConvertTo-SortedJson $before[$key]) -Because $key }
    }

    It 'gives every attribute row its file''s tenant_id' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $facts = Get-TenantFacts $keyed
        $facts.Wrong | Should -Be 0
        $facts.ByTenant | Should -Be 'tenant-a=14,tenant-b=1'
    }

    It 'leaves the layout and every key and index (partitions'' and shards'' included) as they were' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        Get-KeyCatalog $keyed | Should -Be $keysBefore
        @($keysBefore).Count | Should -BeGreaterThan 10
        (Get-KeyCatalog $keyed) -match ' false ' | Should -BeNullOrEmpty   # no index left invalid
        if ($Layout -eq 'partitioned') {
            Invoke-TestSql $keyed "SELECT count(*) FROM pg_inherits WHERE inhparent = 'file_metadata'::regclass" | Should -Be '4'
            Invoke-TestSql $keyed "SELECT count(*) FROM pg_indexes WHERE tablename = 'file_metadata_p00'" | Should -Be '5'
        }
        else {
            Invoke-TestSql $keyed "SELECT string_agg(logicalrelid::text || ':' || partmethod::text, ',' ORDER BY logicalrelid::text) FROM pg_dist_partition" | Should -Be 'content_chunks:n,file_metadata:h,file_paths:h'
            # Each shard of file_metadata on the workers has its five indexes back.
            @(Invoke-TestSql $keyed "SELECT result FROM run_command_on_shards('file_metadata', `$`$SELECT count(*) FROM pg_indexes WHERE tablename = '%s'`$`$)") | Sort-Object -Unique | Should -Be '5'
        }
    }

    It 'says why it loads in one transaction (staging tables are plain)' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $said | Should -Match "the destination's tables are $Layout \(tenant-keyed\)"
    }

    It 'finds the same copy again identical and writes nothing' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $again = Copy-NexusData -Source $source -Destination $keyed
        $again.Match | Should -Be @($true, $true, $true)
        Get-RowCounts $keyed | Should -Be '3/15/2'
    }

    It 'exports exactly the plain columns, with the source''s checksums and the same files as the source''s export' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $fromKeyed = New-Folder
        $fromSource = New-Folder
        $exported = @(Export-NexusData -Store $keyed -Path $fromKeyed)
        Export-NexusData -Store $source -Path $fromSource | Out-Null
        $exported.Match | Should -Be @($true, $true, $true)
        $m = Read-Manifest $fromKeyed
        ($m.tables | Where-Object name -eq 'file_metadata').columns | Should -Be @('metadata_id', 'path_id', 'key', 'value', 'created_at', 'updated_at')
        $m.tables.checksum | Should -Be $results.SourceChecksum
        foreach ($t in $m.tables) {
            (Get-FileHash -Algorithm SHA256 (Join-Path $fromKeyed $t.file)).Hash | Should -Be (Get-FileHash -Algorithm SHA256 (Join-Path $fromSource $t.file)).Hash -Because $t.file
        }
        Get-Content (Join-Path $fromKeyed 'file_metadata.ndjson') | Should -Not -Match 'tenant_id'
        $script:Exported = $fromKeyed
    }

    It 'imports that export into SQLite with identical checksums' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $sqlite = New-FixtureStore sqlite
        $others.Add($sqlite)
        $r = @(Import-NexusData -Store $sqlite -Path $Exported)
        $r.Match | Should -Be @($true, $true, $true)
        $r.DestinationChecksum | Should -Be $results.SourceChecksum
        Get-TableDump $sqlite 'file_metadata' | Should -Be (Get-TableDump $source 'file_metadata')
    }

    It 'imports that export into another <Layout> store with identical checksums and the tenants derived' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $second = New-KeyedStore $Layout
        $others.Add($second)
        $r = @(Import-NexusData -Store $second -Path $Exported)
        $r.Match | Should -Be @($true, $true, $true)
        $r.DestinationChecksum | Should -Be $results.SourceChecksum
        (Get-TenantFacts $second).ByTenant | Should -Be 'tenant-a=14,tenant-b=1'
        (Get-TenantFacts $second).Wrong | Should -Be 0
    }

    It 'copies it into SQLite with exactly the plain columns and the same checksums' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $sqlite = New-TestDatabase sqlite
        $others.Add($sqlite)
        $r = @(Copy-NexusData -Source $keyed -Destination $sqlite)
        $r.Match | Should -Be @($true, $true, $true)
        $r.SourceChecksum | Should -Be $results.SourceChecksum
        foreach ($table in 'file_paths', 'file_metadata', 'content_chunks') {
            Get-TableDump $sqlite $table | Should -Be (Get-TableDump $source $table) -Because $table
        }
    }

    It '-Force replaces its rows, the tenants derived again' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        Invoke-TestSql $keyed "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES ('50000000-0000-4000-8000-0000000000ff', 'tenant-x', '/extra', 'local', '/x', 1, '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z')" | Out-Null
        $r = Copy-NexusData -Source $source -Destination $keyed -Force -Confirm:$false
        $r.Match | Should -Be @($true, $true, $true)
        Get-RowCounts $keyed | Should -Be '3/15/2'
        (Get-TenantFacts $keyed).ByTenant | Should -Be 'tenant-a=14,tenant-b=1'
    }

    It '-Merge upserts by natural key: the source''s values win, the destination keeps its ids and extra rows, every attribute in its file''s tenant' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $target = New-KeyedStore $Layout
        $others.Add($target)
        # The record (tenant-a, /docs/report.pdf) under another id with an attribute of its own, and
        # a record of another tenant.
        Invoke-TestSql $target @"
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES
 ('50000000-0000-4000-8000-000000000001', 'tenant-a', '/docs/report.pdf', 'old', '/old', 1, '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z'),
 ('50000000-0000-4000-8000-000000000002', 'tenant-z', '/only/here', 'local', '/z', 5, '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z');
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at, tenant_id) VALUES
 ('60000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', 'integer', '7', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z', 'tenant-a'),
 ('60000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', 'local-only', '"kept"', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z', 'tenant-a');
"@ | Out-Null
        $r = Copy-NexusData -Source $source -Destination $target -Merge
        $r.Match | Should -Be @($true, $true, $true)
        $r.RowsWritten | Should -Be @(3, 15, 2)
        Get-RowCounts $target | Should -Be '4/16/2'
        Invoke-TestSql $target "SELECT path_id || '|' || backend_id FROM file_paths WHERE tenant_id = 'tenant-a' AND virtual_path = '/docs/report.pdf'" | Should -Be '50000000-0000-4000-8000-000000000001|local'
        Invoke-TestSql $target "SELECT metadata_id || '|' || value::text FROM file_metadata WHERE key = 'integer'" | Should -Be '60000000-0000-4000-8000-000000000001|42'
        Invoke-TestSql $target "SELECT value::text FROM file_metadata WHERE key = 'local-only'" | Should -Be '"kept"'
        $facts = Get-TenantFacts $target
        $facts.Wrong | Should -Be 0
        $facts.ByTenant | Should -Be 'tenant-a=15,tenant-b=1'
    }

    It 'refuses an attribute row whose file record does not exist, naming it, and writes nothing' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $bad = New-OrphanSource
        $others.Add($bad)
        $target = New-KeyedStore $Layout
        $others.Add($target)
        $err = $null
        try { Copy-NexusData -Source $bad -Destination $target } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.CopyNexusDataCommand'
        $err.Exception.Message | Should -Match "metadata_id='66666666-0000-4000-8000-000000000001'.*path_id '99999999-0000-4000-8000-000000000001'.*Nothing was written"
        Get-RowCounts $target | Should -Be '0/0/0'
    }

    It 'refuses it under -Merge too, and leaves the destination as it was' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $bad = New-OrphanSource
        $others.Add($bad)
        $target = New-KeyedStore $Layout
        $others.Add($target)
        Invoke-TestSql $target "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES ('50000000-0000-4000-8000-000000000009', 'tenant-q', '/q', 'old', '/old', 1, '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z')" | Out-Null
        $err = $null
        try { Copy-NexusData -Source $bad -Destination $target -Merge } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.CopyNexusDataCommand'
        $err.Exception.Message | Should -Match "path_id '99999999-0000-4000-8000-000000000001'.*is not in"
        Get-RowCounts $target | Should -Be '1/0/0'
    }
}
