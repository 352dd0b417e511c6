# Issue 14: Copy-NexusData / Import-NexusData into PostgreSQL load through staging tables and a
# swap where that is safe (empty destination holding nothing the module's migrations do not
# create), and fall back to the one-transaction load otherwise, saying why under -Verbose. Killed
# mid-load, the real tables are untouched and the rerun cleans the staging schema first. A rerun
# onto an identical, verified copy succeeds. PostgreSQL destination, SQLite source.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:HasPostgres = [bool]$env:TEST_DATABASE_URL
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force

    # The verbose lines of a copy (stream 4), as strings.
    function Invoke-VerboseCopy([string] $Source, [string] $Destination) {
        $out = Copy-NexusData -Source $Source -Destination $Destination -Verbose 4>&1
        [pscustomobject]@{
            Results = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            Verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        }
    }

    # The OID, file node and size on disk of each real table: a load into a table, even one
    # rolled back or killed, leaves the pages it wrote behind, so an unchanged size means unwritten.
    function Get-TableIdentity([string] $ConnectionString) {
        Invoke-TestSql $ConnectionString "SELECT string_agg(c.relname || '=' || c.oid || '/' || c.relfilenode || '/' || pg_relation_size(c.oid), ',' ORDER BY c.relname) FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ('file_paths', 'file_metadata', 'content_chunks', 'nexus_schema_journal')"
    }

    function Get-StagingSchemaCount([string] $ConnectionString) {
        [int](Invoke-TestSql $ConnectionString "SELECT count(*) FROM pg_namespace WHERE nspname = 'nexus_staging'")
    }

    $script:Source = New-FixtureStore sqlite
    Add-FixtureRows $Source
}

AfterAll {
    if ($script:Source) { Remove-TestDatabase $Source }
}

Describe 'Staging copy into PostgreSQL' -Skip:(-not $HasPostgres) {
    It 'loads an empty destination through staging tables, verified, keys, indexes and journal as the migrations make them' {
        $destination = New-TestDatabase -Dialect postgres
        $reference = New-FixtureStore postgres
        try {
            $copy = Invoke-VerboseCopy $Source $destination
            $copy.Verbose -match 'Loading through staging tables' | Should -Not -BeNullOrEmpty -Because ($copy.Verbose -join "`n")
            $copy.Results.Match | Should -Be @($true, $true, $true)
            Get-RowCounts $destination | Should -Be (Get-RowCounts $Source)
            foreach ($table in 'file_paths', 'file_metadata', 'content_chunks') {
                Get-TableDump $destination $table | Should -Be (Get-TableDump $Source $table)
            }
            Get-StagingSchemaCount $destination | Should -Be 0
            # The same keys, indexes, constraints and journal as a store the migrations built.
            $shape = "SELECT string_agg(x, E'\n' ORDER BY x) FROM (SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS x FROM pg_constraint WHERE connamespace = 'public'::regnamespace UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public') s"
            Invoke-TestSql $destination $shape | Should -Be (Invoke-TestSql $reference $shape)
            $journal = 'SELECT string_agg(migration_id || checksum_sha256, '','' ORDER BY migration_id) FROM nexus_schema_journal'
            Invoke-TestSql $destination $journal | Should -Be (Invoke-TestSql $reference $journal)
            (Invoke-TestSql $destination "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname IN ('file_paths', 'file_metadata', 'content_chunks') AND last_analyze IS NOT NULL") | Should -Be '3'
            # The store works.
            $store = Connect-NexusStore $destination -NoDefault
            try { (Get-NexusMetadata -Store $store -Path '/docs/report.pdf' -Tenant 'tenant-a').Path | Should -Be '/docs/report.pdf' }
            finally { Disconnect-NexusStore -Store $store }
        }
        finally { Remove-TestDatabase $destination; Remove-TestDatabase $reference }
    }

    It 'verifies every table inside PostgreSQL, reading nothing back, for attribute values of every shape' {
        # The fixture's shapes plus what jsonb prints its own way: control characters, keys of
        # equal length in byte order, multibyte keys (ordered by their UTF-8 length), slashes.
        $source = New-FixtureStore sqlite
        $destination = New-TestDatabase -Dialect postgres
        try {
            Add-FixtureRows $source
            $ids = Get-FixtureIds
            $extra = [ordered]@{
                control = '"tab\t cr\r ff\f bs\b unit\u001f nul-free \u007f / \/ é"'
                keyorder = '{"zz": 1, "ü": 2, "u": 3, "😀": 4, "": 5, "aa": {"b": [], "a": {}}}'
                numbers = '[0, -0, 0.0, 1E-7, 1e+2, 12.500, -1.5E+3, 9223372036854775808, 1e30]'
                deep    = '[[[{"a": [[{"": null}]]}]]]'
            }
            $i = 0
            $rows = foreach ($key in $extra.Keys) {
                $i++
                "('50000000-0000-4000-8000-$($i.ToString('d12'))', '$($ids.Unicode)', '$key', '$($extra[$key])', '2024-04-01T00:00:00.000000Z', '2024-04-01T00:00:00.123000Z')"
            }
            Invoke-TestSql $source "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES $($rows -join ', ')" | Out-Null
            $copy = Invoke-VerboseCopy $source $destination
            $copy.Results.Match | Should -Be @($true, $true, $true)
            foreach ($table in 'file_paths', 'file_metadata', 'content_chunks') {
                $copy.Verbose -match "^${table}: verified inside PostgreSQL, nothing read back" | Should -Not -BeNullOrEmpty -Because ($copy.Verbose -join "`n")
            }
            $copy.Verbose -match 'differs from the rows written' | Should -BeNullOrEmpty
            foreach ($r in $copy.Results) { $r.DestinationChecksum | Should -Be $r.SourceChecksum }
            foreach ($table in 'file_paths', 'file_metadata', 'content_chunks') {
                Get-TableDump $destination $table | Should -Be (Get-TableDump $source $table)
            }
        }
        finally { Remove-TestDatabase $destination; Remove-TestDatabase $source }
    }

    It 'catches a row the staging table changed on the way in, and commits nothing' {
        # An event trigger gives the staging content_chunks (only it: not the store's own table,
        # so the staging path is still taken) a trigger that stores every size one byte larger.
        $destination = New-TestDatabase -Dialect postgres
        try {
            Invoke-TestSql $destination @'
CREATE FUNCTION skew_chunks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.size_bytes := NEW.size_bytes + 1; RETURN NEW; END $$;
CREATE FUNCTION skew_staging() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE TABLE' AND object_identity = 'nexus_staging.content_chunks') THEN
    EXECUTE 'CREATE TRIGGER skew_chunks BEFORE INSERT ON nexus_staging.content_chunks FOR EACH ROW EXECUTE FUNCTION public.skew_chunks()';
  END IF;
END $$;
CREATE EVENT TRIGGER skew_staging ON ddl_command_end EXECUTE FUNCTION skew_staging();
'@ | Out-Null
            $err = $null
            $verbose = @()
            try { Copy-NexusData -Source $Source -Destination $destination -Verbose 4>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose += $_.Message } } }
            catch { $err = $_ }
            $verbose -match 'Loading through staging tables' | Should -Not -BeNullOrEmpty -Because ($verbose -join "`n")
            $verbose -match '^content_chunks: the digest inside PostgreSQL differs from the rows written' | Should -Not -BeNullOrEmpty -Because ($verbose -join "`n")
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.CopyNexusDataCommand'
            $results = $err.Exception.Results
            $results.Match | Should -Be @($true, $true, $false)
            $results[2].DestinationChecksum | Should -Not -Be $results[2].SourceChecksum
            $err.Exception.Message | Should -BeLike 'Verification failed for content_chunks (2 rows written, 2 read back, checksums differ). Nothing was committed to *'
            Get-RowCounts $destination | Should -Be '0/0/0'
            Get-StagingSchemaCount $destination | Should -Be 0
        }
        finally { Remove-TestDatabase $destination }
    }

    It 'falls back to one transaction when a table has a grant the migrations do not make, and keeps the grant' {
        $destination = New-FixtureStore postgres
        try {
            Invoke-TestSql $destination 'GRANT SELECT ON file_paths TO PUBLIC' | Out-Null
            $copy = Invoke-VerboseCopy $Source $destination
            $copy.Verbose -match 'Loading in one transaction.*file_paths: it has grants' | Should -Not -BeNullOrEmpty
            $copy.Verbose -match 'Loading through staging tables' | Should -BeNullOrEmpty
            $copy.Results.Match | Should -Be @($true, $true, $true)
            Invoke-TestSql $destination "SELECT has_table_privilege('public', 'file_paths', 'SELECT')" | Should -Be 't'
            Get-StagingSchemaCount $destination | Should -Be 0
        }
        finally { Remove-TestDatabase $destination }
    }

    It 'falls back to one transaction when a view depends on file_paths, and keeps the view' {
        $destination = New-FixtureStore postgres
        try {
            Invoke-TestSql $destination 'CREATE VIEW live_paths AS SELECT virtual_path FROM file_paths WHERE deleted_at IS NULL' | Out-Null
            $copy = Invoke-VerboseCopy $Source $destination
            $copy.Verbose -match 'Loading in one transaction.*file_paths: .*live_paths.* depends? on it' | Should -Not -BeNullOrEmpty
            $copy.Results.Match | Should -Be @($true, $true, $true)
            Invoke-TestSql $destination 'SELECT count(*) FROM live_paths' | Should -Be '2'
        }
        finally { Remove-TestDatabase $destination }
    }

    It 'keeps the one-transaction load under -Merge and -Force, saying why' {
        $destination = New-FixtureStore postgres
        try {
            $merge = @(Copy-NexusData -Source $Source -Destination $destination -Merge -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $merge -match 'Loading in one transaction.*-Merge' | Should -Not -BeNullOrEmpty
            $force = @(Copy-NexusData -Source $Source -Destination $destination -Force -Confirm:$false -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $force -match 'Loading in one transaction.*-Force' | Should -Not -BeNullOrEmpty
            Get-RowCounts $destination | Should -Be (Get-RowCounts $Source)
        }
        finally { Remove-TestDatabase $destination }
    }

    It 'loads in one transaction while another copy holds the staging lock of the destination' {
        $destination = New-TestDatabase -Dialect postgres
        # Another session holds the lock for 60 s (it is killed below).
        $holder = & (Get-Module TestHelpers) {
            param($url)
            Start-NativeProcess -FilePath (Get-PsqlPath) -ArgumentList @($url, '-X', '-q', '-At') `
                -InputText "SELECT pg_advisory_lock(hashtext('nexus staging nexus_staging')); SELECT pg_sleep(60);"
        } $destination
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do { Start-Sleep -Milliseconds 100 } until ([int](Invoke-TestSql $destination "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") -gt 0 -or [DateTime]::UtcNow -gt $deadline)
            $copy = Invoke-VerboseCopy $Source $destination
            $copy.Verbose -match 'Loading in one transaction.*another copy is loading' | Should -Not -BeNullOrEmpty -Because ($copy.Verbose -join "`n")
            $copy.Results.Match | Should -Be @($true, $true, $true)
            Get-RowCounts $destination | Should -Be (Get-RowCounts $Source)
        }
        finally { $holder.Process.Kill(); $holder.Process.WaitForExit(); Remove-TestDatabase $destination }
    }

    It 'loads in one transaction when the user may not create a schema in the destination database' {
        $destination = New-TestDatabase -Dialect postgres
        $db = ($destination -split '/')[-1] -replace '\?.*$'
        $role = "nexus_t_loader_$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "CREATE ROLE $role LOGIN PASSWORD 'loader-pw'" | Out-Null
        try {
            # Owner of the schema public (so the migrations can create the tables), no CREATE on the database.
            Invoke-TestSql $destination "ALTER SCHEMA public OWNER TO $role; REVOKE CREATE ON DATABASE $db FROM PUBLIC" | Out-Null
            $asRole = $destination -replace '//[^@]+@', "//${role}:loader-pw@"
            $copy = Invoke-VerboseCopy $Source $asRole
            $copy.Verbose -match "Loading in one transaction.*may not create the schema nexus_staging" | Should -Not -BeNullOrEmpty -Because ($copy.Verbose -join "`n")
            $copy.Results.Match | Should -Be @($true, $true, $true)
            Get-RowCounts $destination | Should -Be (Get-RowCounts $Source)
        }
        finally {
            Remove-TestDatabase $destination
            Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "DROP ROLE IF EXISTS $role" | Out-Null
        }
    }

    It 'succeeds when run again onto the identical copy, and still refuses a destination holding other rows' {
        $destination = New-TestDatabase -Dialect postgres
        $other = New-FixtureStore sqlite
        try {
            Copy-NexusData -Source $Source -Destination $destination | Out-Null
            $again = Invoke-VerboseCopy $Source $destination
            $again.Results.Match | Should -Be @($true, $true, $true)
            $again.Verbose -match 'already holds an identical copy' | Should -Not -BeNullOrEmpty
            Get-RowCounts $destination | Should -Be (Get-RowCounts $Source)

            # Same counts, one value changed: refused as a non-empty destination.
            Add-FixtureRows $other
            Invoke-TestSql $other "UPDATE file_paths SET physical_path = '/elsewhere' WHERE virtual_path = '/docs/report.pdf' AND tenant_id = 'tenant-a'" | Out-Null
            { Copy-NexusData -Source $other -Destination $destination } | Should -Throw -ErrorId 'Nexus.AlreadyExists,Nexus.PowerShell.CopyNexusDataCommand'
            Invoke-TestSql $destination "SELECT physical_path FROM file_paths WHERE virtual_path = '/docs/report.pdf' AND tenant_id = 'tenant-a'" | Should -Be '/srv/a/1'
        }
        finally { Remove-TestDatabase $destination; Remove-TestDatabase $other }
    }

    It 'killed mid-load leaves the real tables untouched, and the rerun drops the staging schema and succeeds' {
        $big = New-FixtureStore sqlite
        Add-BulkRows $big 60000
        $destination = New-FixtureStore postgres
        try {
            $before = Get-TableIdentity $destination
            $child = Start-NexusChildProcess -ArgumentList $big, $destination -ScriptBlock {
                param($source, $target)
                Copy-NexusData -Source $source -Destination $target | Out-Null
                'finished'
            }
            $dbName = ($destination -split '/')[-1] -replace '\?.*$'
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            do {
                Start-Sleep -Milliseconds 100
                $loading = [int](Invoke-TestSql $env:NEXUS_TEST_PG_ADMIN_URL "SELECT count(*) FROM pg_stat_activity WHERE datname = '$dbName' AND query LIKE 'COPY %'") -gt 0
            } until ($loading -or $child.Process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $child.Process.HasExited | Should -BeFalse -Because 'the copy must still be running when it is killed'
            $child.Process.Kill()   # SIGKILL: no cleanup code runs
            $child.Process.WaitForExit()
            (Wait-NexusChildProcess $child).Output | Should -Not -Contain 'finished'

            Get-RowCounts $destination | Should -Be '0/0/0'
            Get-TableIdentity $destination | Should -Be $before -Because 'the real tables were never written'
            Get-StagingSchemaCount $destination | Should -Be 1 -Because 'the killed copy was loading into the staging schema'

            $rerun = Invoke-VerboseCopy $big $destination
            $rerun.Verbose -match 'Dropped the staging schema' | Should -Not -BeNullOrEmpty
            $rerun.Verbose -match 'Loading through staging tables' | Should -Not -BeNullOrEmpty
            $rerun.Results.Match | Should -Be @($true, $true, $true)
            Get-RowCounts $destination | Should -Be (Get-RowCounts $big)
            Get-StagingSchemaCount $destination | Should -Be 0
        }
        finally { Remove-TestDatabase $destination; Remove-TestDatabase $big }
    }

    It 'imports an export folder through staging tables' {
        $folder = Join-Path $env:NEXUS_TEST_RUN_DIR "staging-export-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $destination = New-TestDatabase -Dialect postgres
        try {
            $s = Connect-NexusStore $Source -NoDefault
            try { Export-NexusData -Store $s -Path $folder | Out-Null } finally { Disconnect-NexusStore -Store $s }
            $t = Connect-NexusStore $destination -NoDefault -WarningAction SilentlyContinue
            try { $out = Import-NexusData -Store $t -Path $folder -Verbose 4>&1 } finally { Disconnect-NexusStore -Store $t }
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -match 'Loading through staging tables' | Should -Not -BeNullOrEmpty
            @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Match | Should -Be @($true, $true, $true)
            Get-RowCounts $destination | Should -Be (Get-RowCounts $Source)
        }
        finally { Remove-TestDatabase $destination }
    }
}
