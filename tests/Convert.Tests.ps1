# Issue 13: Convert-NexusStore rebuilds a PostgreSQL store's tables plain, partitioned (hash by
# tenant) or distributed (Citus), copying every row inside the server, verifying each table's
# checksum and swapping in one transaction. What the tests compare is read with plain SQL
# (TransferFixtures), not with the code under test. SQLite only for the refusal.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:HasPostgres = [bool]$env:TEST_DATABASE_URL
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force

    $script:Tables = 'file_paths', 'file_metadata', 'content_chunks'
    $script:TableList = "'file_paths', 'file_metadata', 'content_chunks'"

    # A PostgreSQL store at the newest schema with the fixture rows and $Files generated files
    # (5 tenants, two attributes each, a chunk per 4 files), all by SQL.
    function New-ConvertStore([int] $Files = 500) {
        $cs = New-FixtureStore postgres
        Add-FixtureRows $cs
        if ($Files -gt 0) { Add-GeneratedRows $cs $Files }
        $cs
    }

    function Add-GeneratedRows([string] $ConnectionString, [int] $Files) {
        Invoke-TestSql $ConnectionString @"
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at, current_version)
SELECT md5('f' || i)::uuid, 'tenant-' || (i % 5), '/bulk/' || i, 'local', '/srv/' || i, i, now(), now(), 1 FROM generate_series(1, $Files) i;
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT md5('m' || i || k)::uuid, md5('f' || i)::uuid, k, jsonb_build_object('i', i, 'k', k), now(), now() FROM generate_series(1, $Files) i, unnest(ARRAY['owner', 'tags']) k;
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at)
SELECT md5('c' || i)::uuid, 'bulk-' || i, 10, '/c/' || i, 1, now() FROM generate_series(1, ($Files + 3) / 4) i;
"@ | Out-Null
    }

    # Every table dumped as sorted text, attribute values as sorted JSON: the store's content.
    function Get-StoreContent([string] $ConnectionString) {
        $dump = foreach ($t in $Tables) { Get-TableDump $ConnectionString $t }
        $values = Get-AttributeValues $ConnectionString
        $dump + @($values.Keys | Sort-Object | ForEach-Object { "$_=$(ConvertTo-SortedJson $values[$_])" })
    }

    # The OID, file node and size of each table of the public schema (partitions included): a
    # write to a table, even one rolled back or killed, leaves the pages it wrote behind.
    function Get-TableIdentity([string] $ConnectionString) {
        Invoke-TestSql $ConnectionString "SELECT string_agg(c.relname || '=' || c.oid || '/' || c.relfilenode || '/' || pg_relation_size(c.oid), ',' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
    }

    function Get-WorkSchemaCount([string] $ConnectionString) {
        [int](Invoke-TestSql $ConnectionString "SELECT count(*) FROM pg_namespace WHERE nspname = 'nexus_layout'")
    }

    # The partitions of a table, by name.
    function Get-Partitions([string] $ConnectionString, [string] $Table) {
        @(Invoke-TestSql $ConnectionString "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'public.$Table'::regclass ORDER BY 1")
    }

    function Get-LayoutComment([string] $ConnectionString) {
        Invoke-TestSql $ConnectionString "SELECT coalesce(obj_description('public.file_paths'::regclass, 'pg_class'), '<none>')"
    }

    # The three tables' columns (position, type, nullability, default, comment, collation), constraint
    # names and kinds, index names and table comments other than the layout's, with file_metadata.tenant_id
    # (the keyed layouts' one extra column) left out: equal for every layout.
    function Get-NeutralShape([string] $ConnectionString) {
        Invoke-TestSql $ConnectionString @"
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'column ' || c.relname || '.' || a.attname || ' #' || a.attnum || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
         || coalesce(' comment ' || col_description(c.oid, a.attnum), '')
         || ' collation ' || a.attcollation AS x
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ($TableList)
     AND NOT (c.relname = 'file_metadata' AND a.attname = 'tenant_id')
  UNION ALL
  -- conparentid <> 0: the per-partition copies PostgreSQL makes of a foreign key between partitioned tables
  SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || contype::text FROM pg_constraint
   WHERE conparentid = 0 AND conrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname IN ($TableList))
  UNION ALL
  SELECT 'index ' || indrelid::regclass || ' ' || indexrelid::regclass FROM pg_index
   WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname IN ($TableList))
  UNION ALL
  SELECT 'comment ' || c.relname || ' ' || obj_description(c.oid, 'pg_class') FROM pg_class c
   WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ('file_metadata', 'content_chunks') AND obj_description(c.oid, 'pg_class') IS NOT NULL
) s
"@
    }

    # The whole shape of the public schema's tables, as a store the migrations built has it.
    function Get-FullShape([string] $ConnectionString) {
        Invoke-TestSql $ConnectionString "SELECT string_agg(x, E'\n' ORDER BY x) FROM (SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS x FROM pg_constraint WHERE connamespace = 'public'::regnamespace UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' UNION ALL SELECT 'comment ' || c.relname || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '-') FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')) s"
    }

    $script:JournalSql = 'SELECT string_agg(migration_id || checksum_sha256, '','' ORDER BY migration_id) FROM nexus_schema_journal'
}

Describe 'Convert-NexusStore on PostgreSQL' -Tag 'postgres' -Skip:(-not $HasPostgres) {
    It 'converts plain to partitioned and back, keeping every checksum and every record, attribute and chunk readable' {
        $cs = New-ConvertStore 500
        $reference = New-FixtureStore postgres
        $store = Connect-NexusStore $cs -NoDefault
        try {
            $content = Get-StoreContent $cs
            $journal = Invoke-TestSql $cs $JournalSql
            $alembic = Invoke-TestSql $cs 'SELECT version_num FROM alembic_version'

            $there = Convert-NexusStore -Store $store -Layout partitioned -Partitions 4 -Confirm:$false
            $there.Layout | Should -Be 'partitioned'
            $there.PreviousLayout | Should -Be 'plain'
            $there.Partitions | Should -Be 4
            $there.Converted | Should -BeTrue
            $there.Tables.Table | Should -Be $Tables
            $there.Tables.Verified | Should -Be @($true, $true, $true)
            $there.Rows['file_paths'] | Should -Be 503
            $there.Rows['file_metadata'] | Should -Be 1015
            $there.Rows['content_chunks'] | Should -Be 127
            $there.Elapsed | Should -BeOfType [timespan]

            Invoke-TestSql $cs "SELECT relkind FROM pg_class WHERE oid IN ('file_paths'::regclass, 'file_metadata'::regclass, 'content_chunks'::regclass) ORDER BY relname" | Should -Be @('r', 'p', 'p')
            Get-Partitions $cs file_paths | Should -Be @('file_paths_p00', 'file_paths_p01', 'file_paths_p02', 'file_paths_p03')
            Get-Partitions $cs file_metadata | Should -Be @('file_metadata_p00', 'file_metadata_p01', 'file_metadata_p02', 'file_metadata_p03')
            Get-LayoutComment $cs | Should -Be 'Nexus layout: partitioned, 4 partitions'
            Invoke-TestSql $cs 'SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ''pk_file_paths''' | Should -Be 'PRIMARY KEY (tenant_id, path_id)'
            # Each attribute carries its file's tenant; every tenant's rows sit in one partition.
            Invoke-TestSql $cs 'SELECT count(*) FROM file_metadata m JOIN file_paths p ON p.path_id = m.path_id WHERE m.tenant_id <> p.tenant_id' | Should -Be '0'
            Invoke-TestSql $cs 'SELECT max(n) FROM (SELECT count(DISTINCT tableoid) n FROM file_paths GROUP BY tenant_id) s' | Should -Be '1'
            Get-StoreContent $cs | Should -Be $content
            Invoke-TestSql $cs $JournalSql | Should -Be $journal
            Invoke-TestSql $cs 'SELECT version_num FROM alembic_version' | Should -Be $alembic
            Get-WorkSchemaCount $cs | Should -Be 0

            # The store object follows its new layout; the records are readable through the cmdlets.
            $store.Layout.Kind | Should -Be 'Partitioned'
            $store.Layout.Partitions | Should -Be 4
            (Get-NexusMetadata -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-a').PhysicalPath | Should -Be '/srv/a/1'
            (Get-NexusMetadata -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-b').PhysicalPath | Should -Be '/bucket/3'
            Get-NexusAttribute -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-a' -Key integer | Should -Be 42
            (Get-NexusAttribute -Store $store -Path '/bulk/7' -Tenant 'tenant-2').owner.i | Should -Be 7
            (Get-NexusChunk -Store $store -ContentHash 'hash-1').StoragePath | Should -Be '/chunks/h1'

            $back = Convert-NexusStore -Store $store -Layout plain -Confirm:$false
            $back.Layout | Should -Be 'plain'
            $back.PreviousLayout | Should -Be 'partitioned'
            $back.Partitions | Should -Be 0
            $store.Layout.Kind | Should -Be 'Plain'
            # The same checksums both ways: the canonical (plain) columns of every layout.
            $back.Tables.SourceChecksum | Should -Be $there.Tables.SourceChecksum
            $back.Tables.DestinationChecksum | Should -Be $there.Tables.SourceChecksum
            Get-StoreContent $cs | Should -Be $content
            # Exactly the tables the migrations make: keys, indexes, constraints, comments.
            Get-FullShape $cs | Should -Be (Get-FullShape $reference)
            Get-LayoutComment $cs | Should -Be '<none>'
            Invoke-TestSql $cs $JournalSql | Should -Be $journal
            Get-WorkSchemaCount $cs | Should -Be 0
            (Get-NexusAttribute -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-b' -Key owner).name | Should -Be 'bob'
            # The plain store takes writes as before.
            Set-NexusAttribute -Store $store -Path '/bulk/7' -Tenant 'tenant-2' -Key colour -Value red
            Get-NexusAttribute -Store $store -Path '/bulk/7' -Tenant 'tenant-2' -Key colour | Should -Be 'red'
        }
        finally { Disconnect-NexusStore -Store $store; Remove-TestDatabase $cs; Remove-TestDatabase $reference }
    }

    It 'leaves a partitioned store that takes writes through the cmdlets' {
        $cs = New-ConvertStore 0
        $store = Connect-NexusStore $cs -NoDefault
        try {
            $null = Convert-NexusStore -Store $store -Layout partitioned -Partitions 3 -Confirm:$false
            Set-NexusMetadata -Store $store -Path '/new/one.txt' -Tenant 'tenant-c' -Size 5
            Set-NexusAttribute -Store $store -Path '/new/one.txt' -Tenant 'tenant-c' -Key colour -Value blue
            Set-NexusAttribute -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-b' -Key owner -Value @{ name = 'eve' }
            Add-NexusChunk -Store $store -ContentHash 'hash-1' -Size 1024 -StoragePath '/chunks/h1'
            Get-NexusAttribute -Store $store -Path '/new/one.txt' -Tenant 'tenant-c' -Key colour | Should -Be 'blue'
            (Get-NexusAttribute -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-b' -Key owner).name | Should -Be 'eve'
            (Get-NexusChunk -Store $store -ContentHash 'hash-1').RefCount | Should -Be 2
            Invoke-TestSql $cs "SELECT tenant_id FROM file_metadata WHERE key = 'colour'" | Should -Be 'tenant-c'
            Invoke-TestSql $cs 'SELECT count(*) FROM file_metadata m JOIN file_paths p ON p.path_id = m.path_id WHERE m.tenant_id <> p.tenant_id' | Should -Be '0'
        }
        finally { Disconnect-NexusStore -Store $store; Remove-TestDatabase $cs }
    }

    It 'builds keyed tables whose columns, defaults, comments, constraint and index names are those the migrations make' {
        $cs = New-FixtureStore postgres
        $reference = New-FixtureStore postgres
        try {
            $null = Convert-NexusStore -Store $cs -Layout partitioned -Partitions 2 -Confirm:$false
            $keyed = Get-NeutralShape $cs
            $keyed | Should -Be (Get-NeutralShape $reference)
            ($keyed -join "`n") | Should -Match 'constraint file_paths pk_file_paths p'   # the comparison sees the keys
            ($keyed -join "`n") | Should -Match 'index file_metadata idx_file_metadata_key_value_gin'
            # file_metadata.tenant_id is the keyed layouts' one extra column, last.
            Invoke-TestSql $cs "SELECT attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull FROM pg_attribute WHERE attrelid = 'file_metadata'::regclass AND attnum > 0 ORDER BY attnum DESC LIMIT 1" | Should -Be 'tenant_id character varying(36) true'
            Invoke-TestSql $cs "SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'file_metadata'::regclass AND conparentid = 0 AND contype IN ('p', 'u', 'f')" |
                Should -Be 'fk_file_metadata_path_id FOREIGN KEY (tenant_id, path_id) REFERENCES file_paths(tenant_id, path_id) ON DELETE CASCADE; pk_file_metadata PRIMARY KEY (tenant_id, metadata_id); uq_file_metadata_path_key UNIQUE (tenant_id, path_id, key)'
        }
        finally { Remove-TestDatabase $cs; Remove-TestDatabase $reference }
    }

    It 'honours -Partitions, rebuilds a partitioned store with another count, and does nothing for the same layout' {
        $cs = New-ConvertStore 200
        try {
            $null = Convert-NexusStore -Store $cs -Layout partitioned -Confirm:$false
            (Get-Partitions $cs file_paths).Count | Should -Be 16
            $eight = Convert-NexusStore -Store $cs -Layout partitioned -Partitions 8 -Confirm:$false
            $eight.PreviousLayout | Should -Be 'partitioned'
            (Get-Partitions $cs file_paths) | Should -Be (0..7 | ForEach-Object { 'file_paths_p{0:d2}' -f $_ })
            (Get-Partitions $cs file_metadata).Count | Should -Be 8
            Get-LayoutComment $cs | Should -Be 'Nexus layout: partitioned, 8 partitions'
            $before = Get-TableIdentity $cs
            $same = Convert-NexusStore -Store $cs -Layout partitioned -Partitions 8 -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
            $same.Converted | Should -BeFalse
            $same.Tables.Count | Should -Be 0
            "$warned" | Should -Match 'has the layout partitioned \(8 partitions\) already; nothing to do'
            Get-TableIdentity $cs | Should -Be $before
            { Convert-NexusStore -Store $cs -Layout partitioned -Partitions 0 -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Nexus.PowerShell.ConvertNexusStoreCommand'
            { Convert-NexusStore -Store $cs -Layout partitioned -Partitions 1025 -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Nexus.PowerShell.ConvertNexusStoreCommand'
            { Convert-NexusStore -Store $cs -Layout plain -Partitions 4 -Confirm:$false } | Should -Throw -ErrorId 'Nexus.InvalidArgument,Nexus.PowerShell.ConvertNexusStoreCommand'
        }
        finally { Remove-TestDatabase $cs }
    }

    It '-WhatIf prints the plan and changes nothing' {
        $cs = New-ConvertStore 100
        try {
            $before = Get-TableIdentity $cs
            $run = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
                param($url)
                $out = Convert-NexusStore -Store $url -Layout partitioned -Partitions 32 -WhatIf
                "objects: $(@($out).Count)"
            }
            $run.ExitCode | Should -Be 0 -Because $run.StdErr
            $text = $run.Output -join ' '
            $text | Should -Match 'What if: .*from the layout plain to partitioned \(32 partitions\)'
            $text | Should -Match 'file_paths \(103 rows\), file_metadata \(215 rows\), content_chunks \(27 rows\)'
            $run.Output | Should -Contain 'objects: 0'
            Get-TableIdentity $cs | Should -Be $before
            Get-WorkSchemaCount $cs | Should -Be 0
            Get-LayoutComment $cs | Should -Be '<none>'
        }
        finally { Remove-TestDatabase $cs }
    }

    It 'killed in the middle of the copy leaves the old tables as they were, and the rerun cleans up and succeeds' {
        $cs = New-ConvertStore 50000
        try {
            $content = Get-RowCounts $cs
            $before = Get-TableIdentity $cs
            $child = Start-NexusChildProcess -ArgumentList $cs -ScriptBlock {
                param($url)
                Convert-NexusStore -Store $url -Layout partitioned -Confirm:$false | Out-Null
                'finished'
            }
            $dbName = (($cs -split '/')[-1] -replace '\?.*$')
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            do {
                Start-Sleep -Milliseconds 100
                $copying = [int](Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "SELECT count(*) FROM pg_stat_activity WHERE datname = '$dbName' AND query LIKE 'INSERT INTO `"nexus_layout`".`"file_metadata`"%'") -gt 0
            } until ($copying -or $child.Process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $child.Process.HasExited | Should -BeFalse -Because 'the conversion must still be copying when it is killed'
            $child.Process.Kill()   # SIGKILL: no cleanup code runs
            $child.Process.WaitForExit()
            (Wait-NexusChildProcess $child).Output | Should -Not -Contain 'finished'

            Get-RowCounts $cs | Should -Be $content
            Get-TableIdentity $cs | Should -Be $before -Because 'the old tables were only read'
            Get-LayoutComment $cs | Should -Be '<none>'
            Get-WorkSchemaCount $cs | Should -Be 1 -Because 'the killed conversion was copying into the work schema'

            $rerun = Convert-NexusStore -Store $cs -Layout partitioned -Confirm:$false -Verbose 4>&1
            $verbose = @($rerun | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $result = $rerun | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $verbose -match 'Dropped the work schema nexus_layout' | Should -Not -BeNullOrEmpty -Because ($verbose -join "`n")
            $result.Tables.Verified | Should -Be @($true, $true, $true)
            Get-RowCounts $cs | Should -Be $content
            (Get-Partitions $cs file_paths).Count | Should -Be 16
            Get-WorkSchemaCount $cs | Should -Be 0
        }
        finally { Remove-TestDatabase $cs }
    }

    It 'stopped (Ctrl+C) in the middle of the copy leaves the old tables as they were and no work schema' {
        $cs = New-ConvertStore 50000
        try {
            $before = Get-TableIdentity $cs
            $content = Get-RowCounts $cs
            $pipeline = New-NexusRunspacePipeline -ArgumentList $cs -ScriptBlock {
                param($url)
                Convert-NexusStore -Store $url -Layout partitioned -Confirm:$false
            }
            try {
                $async = $pipeline.BeginInvoke()
                $dbName = (($cs -split '/')[-1] -replace '\?.*$')
                $deadline = [DateTime]::UtcNow.AddSeconds(120)
                do {
                    Start-Sleep -Milliseconds 100
                    $copying = [int](Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "SELECT count(*) FROM pg_stat_activity WHERE datname = '$dbName' AND query LIKE 'INSERT INTO `"nexus_layout`".%'") -gt 0
                } until ($copying -or $async.IsCompleted -or [DateTime]::UtcNow -gt $deadline)
                $async.IsCompleted | Should -BeFalse -Because 'the conversion must still be copying when it is stopped'
                $pipeline.Stop()
                $pipeline.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally { $pipeline.Dispose() }
            Get-RowCounts $cs | Should -Be $content
            Get-TableIdentity $cs | Should -Be $before
            Get-WorkSchemaCount $cs | Should -Be 0 -Because 'a stopped conversion drops its work schema'
            Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "SELECT count(*) FROM pg_stat_activity WHERE datname = '$((($cs -split '/')[-1] -replace '\?.*$'))' AND state = 'active' AND query LIKE 'INSERT%'" | Should -Be '0'
        }
        finally { Remove-TestDatabase $cs }
    }

    It 'refuses distributed on a server without the citus extension in the database, changing nothing' {
        $cs = New-ConvertStore 10
        try {
            $before = Get-TableIdentity $cs
            $err = { Convert-NexusStore -Store $cs -Layout distributed -Confirm:$false } | Should -Throw -ErrorId 'Nexus.UnsupportedServer,Nexus.PowerShell.ConvertNexusStoreCommand' -PassThru
            $err.Exception.Message | Should -Match 'cannot be made distributed: the (server has no citus extension|citus extension is installed on the server but not created in this database)'
            $err.Exception.Message | Should -Match 'CREATE EXTENSION citus'
            Get-TableIdentity $cs | Should -Be $before
            Get-WorkSchemaCount $cs | Should -Be 0
        }
        finally { Remove-TestDatabase $cs }
    }
}

Describe 'Convert-NexusStore on SQLite' {
    It 'refuses the keyed layouts with a clear error and leaves the file as it was' {
        $cs = New-FixtureStore sqlite
        try {
            Add-FixtureRows $cs
            $content = Get-RowCounts $cs
            foreach ($layout in 'partitioned', 'distributed') {
                $err = { Convert-NexusStore -Store $cs -Layout $layout -Confirm:$false } | Should -Throw -ErrorId 'Nexus.UnsupportedServer,Nexus.PowerShell.ConvertNexusStoreCommand' -PassThru
                $err.Exception.Message | Should -Match "has the plain layout only; it cannot be $layout"
                $err.Exception.Message | Should -Match 'Copy-NexusData'
            }
            Get-RowCounts $cs | Should -Be $content
            $plain = Convert-NexusStore -Store $cs -Layout plain -Confirm:$false -WarningAction SilentlyContinue
            $plain.Converted | Should -BeFalse
            $plain.Layout | Should -Be 'plain'
        }
        finally { Remove-TestDatabase $cs }
    }
}

Describe 'Convert-NexusStore on Citus' -Tag 'postgres', 'citus' -Skip:(-not $HasPostgres -or -not $env:NEXUS_CITUS_ROOT) {
    BeforeAll {
        $out = @(& bash (Join-Path $PSScriptRoot '../scripts/lib/citus.sh') start 2>&1)
        if ($LASTEXITCODE -ne 0) { throw "scripts/lib/citus.sh start failed: $($out -join "`n")" }
        $vars = @{}
        foreach ($line in $out) { if ("$line" -match '^(\w+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
        $script:SkipReason = $vars['SKIP']
        if ($SkipReason) { return }
        # The cluster's database, in a schema of this test's own (the work schema nexus_layout is per database).
        $script:Schema = "conv_$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $script:Admin = $vars['CITUS_URL']
        Invoke-TestSql $Admin "CREATE SCHEMA $Schema" | Out-Null
        $script:Citus = "Host=127.0.0.1;Port=$($vars['COORDINATOR_PORT']);Database=nexus_citus;Username=nexus;Password=$($vars['PASSWORD']);Search Path=$Schema"
        $script:Sql = "$Admin`?options=-csearch_path%3D$Schema"
    }
    AfterAll {
        if ($Admin -and $Schema) { Invoke-TestSql $Admin "DROP SCHEMA IF EXISTS $Schema CASCADE" | Out-Null }
    }

    It 'converts plain to distributed (tenant shards, colocated attributes, reference chunks) and back, keeping every checksum' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $store = Connect-StoreForTest $Citus -NoDefault
        try {
            Add-FixtureRows $Sql
            Add-GeneratedRows $Sql 400
            $content = Get-StoreContent $Sql
            $there = Convert-NexusStore -Store $store -Layout distributed -Partitions 6 -Confirm:$false
            $there.Layout | Should -Be 'distributed'
            $there.Partitions | Should -Be 6
            $there.Tables.Verified | Should -Be @($true, $true, $true)
            Invoke-TestSql $Sql "SELECT string_agg(c.relname || ' ' || p.partmethod::text, ', ' ORDER BY c.relname) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid WHERE c.relnamespace = '$Schema'::regnamespace" |
                Should -Be 'content_chunks n, file_metadata h, file_paths h'
            Invoke-TestSql $Sql "SELECT count(DISTINCT colocationid) FROM pg_dist_partition WHERE logicalrelid IN ('$Schema.file_paths'::regclass, '$Schema.file_metadata'::regclass)" | Should -Be '1'
            Invoke-TestSql $Sql "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = '$Schema.file_paths'::regclass" | Should -Be '6'
            Invoke-TestSql $Sql "SELECT obj_description('$Schema.file_paths'::regclass, 'pg_class')" | Should -Be 'Nexus layout: distributed, 6 shards'
            # A tenant's files and attributes live on one worker.
            Invoke-TestSql $Sql "SELECT count(DISTINCT nodeport) FROM citus_shards WHERE shardid = get_shard_id_for_distribution_column('$Schema.file_paths', 'tenant-a') OR shardid = get_shard_id_for_distribution_column('$Schema.file_metadata', 'tenant-a')" | Should -Be '1'
            Get-StoreContent $Sql | Should -Be $content
            (Get-NexusMetadata -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-b').PhysicalPath | Should -Be '/bucket/3'
            (Get-NexusChunk -Store $store -ContentHash 'hash-1').StoragePath | Should -Be '/chunks/h1'

            $back = Convert-NexusStore -Store $store -Layout plain -Confirm:$false
            $back.Tables.DestinationChecksum | Should -Be $there.Tables.SourceChecksum
            Invoke-TestSql $Sql "SELECT count(*) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid WHERE c.relnamespace = '$Schema'::regnamespace" | Should -Be '0'
            Get-StoreContent $Sql | Should -Be $content
        }
        finally { Disconnect-NexusStore -Store $store }
    }
}
