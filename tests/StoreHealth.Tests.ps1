# Test-NexusStore and Test-NexusMigration on both dialects: a healthy store passes every check;
# each check sees a store broken in its own way fail; -Exit makes a runbook fail; a migration
# rehearsal reports the steps Invoke-NexusMigration -WhatIf lists and leaves the store as it was.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null

    # A store at head with three records (two of them with attributes), and the chunks their
    # content hashes name, each with the one reference it needs.
    function New-HealthTestStore([string] $Dialect) {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
        foreach ($name in 'a', 'b', 'c') {
            Set-NexusMetadata -Store $store -Path "/$name.txt" -PhysicalPath "/blobs/$name" -Size 3 -ETag "hash-$name"
            Add-NexusChunk -Store $store -ContentHash "hash-$name" -Size 3 -StoragePath "/chunks/$name" | Out-Null
        }
        Set-NexusAttribute -Store $store -Path /a.txt -Attributes @{ owner = 'ops'; tier = 'gold' }
        Set-NexusAttribute -Store $store -Path /b.txt -Attributes @{ owner = 'dev' }
        [pscustomobject]@{ Cs = $cs; Store = $store }
    }

    function Remove-HealthTestStore($t) {
        if ($t) {
            Disconnect-NexusStore -Store $t.Store -ErrorAction SilentlyContinue
            Remove-TestDatabase -ConnectionString $t.Cs
        }
    }

    function Get-CheckResult($t, [string] $Check, [hashtable] $More = @{}) {
        $results = @(Test-NexusStore -Store $t.Store -Check $Check @More)
        $results.Count | Should -Be 1
        $results[0].Check | Should -Be $Check
        $results[0]
    }

    function Install-Amcheck([string] $cs) {
        if ($cs -match '^postgres') { Invoke-TestSql $cs 'CREATE EXTENSION IF NOT EXISTS amcheck' | Out-Null }
    }

    # Byte-identity of a store: the SQLite file's hash, or PostgreSQL's catalog for the schema
    # plus every table's rows, in order.
    function Get-StoreFingerprint([string] $cs) {
        if ($cs -like 'sqlite:*') {
            $path = $cs -replace '^sqlite:///', ''
            return (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash + ' wal:' + (Test-Path -LiteralPath "$path-wal")
        }
        $catalog = Invoke-TestSql $cs @"
SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
  SELECT c.oid::text || ' ' || c.relname || ' ' || c.relkind::text || ' ' || c.relfilenode::text AS x FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL SELECT a.attrelid::text || '.' || a.attname || ' ' || a.atttypid::text || ' ' || a.attnotnull::text || ' ' || a.attisdropped::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0
  UNION ALL SELECT con.conname || ' ' || pg_get_constraintdef(con.oid) FROM pg_constraint con WHERE con.connamespace = 'public'::regnamespace
  UNION ALL SELECT n.nspname FROM pg_namespace n
) s
"@
        $rows = foreach ($table in (Get-TableNames $cs)) {
            Invoke-TestSql $cs "SELECT '$table ' || count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '') FROM $table t"
        }
        (@($catalog) + @($rows)) -join "`n"
    }

    # The steps Invoke-NexusMigration -WhatIf lists, read from a fresh session's host output.
    function Get-WhatIfPlan([string] $cs, [string] $Target, [string] $MigrationPath) {
        $r = Invoke-NexusInFreshSession -ArgumentList $cs, $Target, $MigrationPath -ScriptBlock {
            param($cs, $target, $path)
            $more = if ($path) { @{ MigrationPath = $path } } else { @{} }
            Invoke-NexusMigration -ConnectionString $cs -Target $target -WhatIf @more
        }
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        @($r.Output | Select-String -Pattern 'Migrate (up|down): ([^\s"]+)' | ForEach-Object {
                "$($_.Matches[0].Groups[2].Value) $($_.Matches[0].Groups[1].Value)" })
    }
}

Describe 'Test-NexusStore on a healthy store on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $t = New-HealthTestStore $Dialect
        Install-Amcheck $t.Cs
        Remove-NexusMetadata -Store $t.Store -Path /c.txt -Confirm:$false   # soft-deleted just now
    }
    AfterAll { Remove-HealthTestStore $t }

    It 'passes every check, DeletedRecords included' {
        $results = @(Test-NexusStore -Store $t.Store -DeletedBefore (Get-Date).AddDays(-1))
        $results.Check | Should -Be @('Integrity', 'ForeignKeys', 'OrphanAttributes', 'ChunkReferences', 'JournalDrift', 'SchemaObjects', 'DeletedRecords')
        foreach ($r in $results) {
            $r.Status | Should -Be 'Pass' -Because "$($r.Check): $($r.Details)"
            $r.RowCount | Should -Be 0
            $r.Store | Should -Be $t.Store.Database
        }
        @(Test-NexusStore -Store $t.Store -Quick).Status | Should -Not -Contain 'Fail'
    }

    It 'runs DeletedRecords only when -DeletedBefore is given' {
        (Test-NexusStore -Store $t.Store).Check | Should -Not -Contain 'DeletedRecords'
        (Test-NexusStore -Store $t.Store -Check DeletedRecords) | Should -BeNullOrEmpty
    }

    It 'with -Exit sets $LASTEXITCODE to 0 and raises no error' {
        $global:LASTEXITCODE = 42
        Test-NexusStore -Store $t.Store -Exit | Out-Null
        $global:LASTEXITCODE | Should -Be 0
    }

    It 'uses the runspace default store and honours -Check' {
        $r = Invoke-NexusInFreshSession -ArgumentList $t.Cs -ScriptBlock {
            param($cs)
            Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue | Out-Null
            (Test-NexusStore -Check JournalDrift, ForeignKeys | ForEach-Object { "$($_.Check)=$($_.Status)" }) -join ','
        }
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.Output[-1] | Should -Be 'ForeignKeys=Pass,JournalDrift=Pass'
    }
}

Describe 'Test-NexusStore on broken stores on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach { $t = New-HealthTestStore $Dialect }
    AfterEach { Remove-HealthTestStore $t }

    It 'Integrity: fails on a store whose file or index is damaged although it opens and accepts writes' {
        if ($Dialect -eq 'sqlite') {
            # Garbage over the attribute key index's page (a page of its own, well after the
            # header): the cells and their pointers, not the page header.
            $page = [int](Invoke-TestSql $t.Cs "SELECT rootpage FROM sqlite_master WHERE name = 'idx_file_metadata_key'")
            $size = [int](Invoke-TestSql $t.Cs 'PRAGMA page_size')
            $page | Should -BeGreaterThan 2
            Disconnect-NexusStore -Store $t.Store          # checkpoints the WAL into the file
            $path = $t.Cs -replace '^sqlite:///', ''
            $file = [System.IO.File]::Open($path, 'Open', 'ReadWrite')
            try {
                $garbage = [byte[]]::new($size - 16)
                [System.Random]::new(7).NextBytes($garbage)
                $file.Position = ($page - 1) * $size + 16
                $file.Write($garbage, 0, $garbage.Length)
            }
            finally { $file.Dispose() }
            $t.Store = Connect-NexusStore -ConnectionString $t.Cs -NoDefault
            Set-NexusMetadata -Store $t.Store -Path /after-damage.txt -PhysicalPath /p/x   # still accepts writes
            (Get-NexusMetadata -Store $t.Store -Path /after-damage.txt).Path | Should -Be '/after-damage.txt'
            $r = Get-CheckResult $t Integrity
            $r.Status | Should -Be 'Fail'
            $r.RowCount | Should -BeGreaterThan 0
            $r.Details | Should -Match 'integrity_check reports .* damaged'
            (Get-CheckResult $t Integrity @{ Quick = $true }).Status | Should -Be 'Fail'
        }
        else {
            Install-Amcheck $t.Cs
            # Rows written while the index was not maintained: it lacks their entries.
            Invoke-TestSql $t.Cs "UPDATE pg_index SET indisready = false WHERE indexrelid = 'idx_file_paths_backend_id'::regclass" | Out-Null
            Set-NexusMetadata -Store $t.Store -Path /unindexed.txt -PhysicalPath /p/u -BackendName other
            Invoke-TestSql $t.Cs "UPDATE pg_index SET indisready = true WHERE indexrelid = 'idx_file_paths_backend_id'::regclass" | Out-Null
            Set-NexusMetadata -Store $t.Store -Path /after-damage.txt -PhysicalPath /p/x   # still accepts writes
            $r = Get-CheckResult $t Integrity
            $r.Status | Should -Be 'Fail'
            $r.Rows.index | Should -Contain 'idx_file_paths_backend_id'
            $r.Details | Should -Match 'REINDEX'
        }
    }

    It 'Integrity: warns with how to install amcheck when it is not installed (PostgreSQL)' -Skip:($Dialect -ne 'postgres') {
        $r = Get-CheckResult $t Integrity
        $r.Status | Should -Be 'Warn'
        $r.Details | Should -Match 'CREATE EXTENSION amcheck'
    }

    It 'ForeignKeys and OrphanAttributes: fail on attributes whose record was deleted behind the foreign key' {
        if ($Dialect -eq 'sqlite') {
            # The sqlite3 shell runs with foreign keys off unless told otherwise.
            Invoke-TestSql $t.Cs "DELETE FROM file_paths WHERE virtual_path = '/a.txt'" | Out-Null
        }
        else {
            Invoke-TestSql $t.Cs "SET session_replication_role = replica; DELETE FROM file_paths WHERE virtual_path = '/a.txt'" | Out-Null
        }
        $fk = Get-CheckResult $t ForeignKeys
        $fk.Status | Should -Be 'Fail'
        $fk.RowCount | Should -Be 2
        $orphans = Get-CheckResult $t OrphanAttributes
        $orphans.Status | Should -Be 'Fail'
        $orphans.RowCount | Should -Be 2
        @($orphans.Rows | ForEach-Object { $_['key'] }) | Should -Be @('owner', 'tier')
        $orphans.Details | Should -Match 'no longer exists'
    }

    It 'ChunkReferences: fails when a chunk has fewer references than the live records with its hash' {
        Set-NexusMetadata -Store $t.Store -Path /copy-of-a.txt -PhysicalPath /blobs/a2 -Size 3 -ETag hash-a   # needs a 2nd reference
        Invoke-TestSql $t.Cs "UPDATE content_chunks SET ref_count = 0 WHERE content_hash = 'hash-b'" | Out-Null
        $r = Get-CheckResult $t ChunkReferences
        $r.Status | Should -Be 'Fail'
        $r.RowCount | Should -Be 2
        @($r.Rows | ForEach-Object { "$($_['content_hash']) $($_['ref_count']) $($_['live_records'])" }) | Should -Be @('hash-a 1 2', 'hash-b 0 1')
        # Soft-deleted records need no reference.
        Remove-NexusMetadata -Store $t.Store -Path /copy-of-a.txt, /b.txt -Confirm:$false
        (Get-CheckResult $t ChunkReferences).Status | Should -Be 'Pass'
    }

    It 'JournalDrift: fails on a changed up checksum and on an edited down script' {
        $good = @(Invoke-TestSql $t.Cs "SELECT checksum_sha256 FROM nexus_schema_journal WHERE migration_id = '0002'")[0].Trim()
        Invoke-TestSql $t.Cs "UPDATE nexus_schema_journal SET checksum_sha256 = '$('0' * 64)' WHERE migration_id = '0002'" | Out-Null
        $r = Get-CheckResult $t JournalDrift
        $r.Status | Should -Be 'Fail'
        $r.RowCount | Should -Be 1
        $r.Rows[0]['migration_id'] | Should -Be '0002'
        $r.Rows[0]['problem'] | Should -Match 'up script changed'

        Invoke-TestSql $t.Cs "UPDATE nexus_schema_journal SET checksum_sha256 = '$good' WHERE migration_id = '0002'" | Out-Null
        (Get-CheckResult $t JournalDrift).Status | Should -Be 'Pass'
        Invoke-TestSql $t.Cs "UPDATE nexus_schema_journal SET down_script = down_script || ' DROP TABLE file_paths;' WHERE migration_id = '0001'" | Out-Null
        $r = Get-CheckResult $t JournalDrift
        $r.Status | Should -Be 'Fail'
        $r.RowCount | Should -Be 1
        $r.Rows[0]['migration_id'] | Should -Be '0001'
        $r.Rows[0]['problem'] | Should -Match 'down script .* was edited'
    }

    It 'JournalDrift: warns on a journaled migration this module does not know' {
        Invoke-TestSql $t.Cs "INSERT INTO nexus_schema_journal (migration_id, script_name, checksum_sha256, applied_at, module_version) SELECT '0099', '0099_future', checksum_sha256, applied_at, '9.9.9' FROM nexus_schema_journal WHERE migration_id = '0002'" | Out-Null
        $r = Get-CheckResult $t JournalDrift
        $r.Status | Should -Be 'Warn'
        $r.Rows[0]['migration_id'] | Should -Be '0099'
    }

    It 'SchemaObjects: fails on a missing index and warns on an extra one' {
        Invoke-TestSql $t.Cs 'CREATE INDEX idx_by_hand ON file_paths (size_bytes)' | Out-Null
        $r = Get-CheckResult $t SchemaObjects
        $r.Status | Should -Be 'Warn'
        @($r.Rows | ForEach-Object { "$($_['difference']): $($_['object'])" }) | Should -Be @('extra: index idx_by_hand on file_paths' + $(if ($Dialect -eq 'sqlite') { ' (size_bytes)' } else { ' USING btree (size_bytes)' }))

        Invoke-TestSql $t.Cs 'DROP INDEX idx_file_paths_backend_id' | Out-Null
        $r = Get-CheckResult $t SchemaObjects
        $r.Status | Should -Be 'Fail'
        @($r.Rows | Where-Object { $_['difference'] -eq 'missing' } | ForEach-Object { $_['object'] }) | Should -BeLike 'index idx_file_paths_backend_id on file_paths*'
        $r.Details | Should -Match 'missing'
    }

    It 'SchemaObjects: fails on a dropped column and warns on a store behind head' {
        Invoke-NexusMigration -Store $t.Store -Target 0001 -Force -Confirm:$false | Out-Null
        $r = Get-CheckResult $t SchemaObjects
        $r.Status | Should -Be 'Warn'
        $r.Details | Should -Match 'at 0001.*head is 0004'
        Invoke-TestSql $t.Cs 'ALTER TABLE file_paths DROP COLUMN file_type' | Out-Null
        $r = Get-CheckResult $t SchemaObjects
        $r.Status | Should -Be 'Fail'
        # Below 0004 a SQLite store also keeps 0004's emptied alembic_version, listed as extra.
        @($r.Rows | Where-Object { $_['difference'] -eq 'missing' } | ForEach-Object { $_['object'] }) | Should -BeLike 'column file_paths.file_type *'
    }

    It 'DeletedRecords: fails on records soft-deleted before -DeletedBefore and lists them' {
        Remove-NexusMetadata -Store $t.Store -Path /b.txt -Confirm:$false
        $r = Get-CheckResult $t DeletedRecords @{ DeletedBefore = (Get-Date).AddMinutes(5) }
        $r.Status | Should -Be 'Fail'
        $r.RowCount | Should -Be 1
        $r.Rows[0]['virtual_path'] | Should -Be '/b.txt'
        (Get-CheckResult $t DeletedRecords @{ DeletedBefore = (Get-Date).AddDays(-1) }).Status | Should -Be 'Pass'
    }

    It 'keeps the first 100 offending rows and counts them all' {
        1..130 | ForEach-Object { [pscustomobject]@{ Path = "/gone/$_.txt"; PhysicalPath = "/p/$_" } } | Set-NexusMetadata -Store $t.Store
        Get-NexusMetadata -Store $t.Store -Prefix /gone/ | Remove-NexusMetadata -Store $t.Store -Confirm:$false
        $r = Get-CheckResult $t DeletedRecords @{ DeletedBefore = (Get-Date).AddMinutes(5) }
        $r.RowCount | Should -Be 130
        $r.Rows.Count | Should -Be 100
    }

    It '-Exit: a Fail ends with a terminating error and $LASTEXITCODE 1, after every result was written' {
        Invoke-TestSql $t.Cs 'DROP INDEX idx_file_paths_backend_id' | Out-Null
        $global:LASTEXITCODE = 0
        $out = [System.Collections.Generic.List[object]]::new()
        { Test-NexusStore -Store $t.Store -Exit | ForEach-Object { $out.Add($_) } } |
            Should -Throw -ErrorId 'Nexus.HealthCheckFailed,Nexus.PowerShell.TestNexusStoreCommand' -ExpectedMessage '*1 health check(s): SchemaObjects*'
        $global:LASTEXITCODE | Should -Be 1
        $out.Check | Should -Contain 'JournalDrift'

        # A runbook run with pwsh -File exits non-zero (under Stop, and by exit $LASTEXITCODE).
        $r = Invoke-NexusInFreshSession -ArgumentList $t.Cs -ScriptBlock {
            param($cs)
            $ErrorActionPreference = 'Continue'
            Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue | Out-Null
            Test-NexusStore -Exit 2>$null | Out-Null
            exit $LASTEXITCODE
        }
        $r.ExitCode | Should -Be 1
        $r = Invoke-NexusInFreshSession -ArgumentList $t.Cs -ScriptBlock {
            param($cs)
            Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue | Out-Null
            Test-NexusStore -Exit | Out-Null
            'not reached'
        }
        $r.ExitCode | Should -Be 1
        $r.StdOut | Should -Not -Match 'not reached'
        $r.StdErr | Should -Match 'SchemaObjects'
    }
}

Describe 'Test-NexusMigration on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach {
        $t = New-HealthTestStore $Dialect
        Disconnect-NexusStore -Store $t.Store
    }
    AfterEach { Remove-HealthTestStore $t }

    It 'rehearses the pending steps -WhatIf lists and leaves the store byte-identical' {
        Invoke-NexusMigration -ConnectionString $t.Cs -Target 0001 -Force -Confirm:$false | Out-Null
        $before = Get-StoreFingerprint $t.Cs
        $steps = @(Test-NexusMigration -ConnectionString $t.Cs)
        Get-StoreFingerprint $t.Cs | Should -Be $before
        @($steps | ForEach-Object { "$($_.ScriptName) $($_.Direction.ToString().ToLowerInvariant())" }) | Should -Be (Get-WhatIfPlan $t.Cs head)
        $steps.Id | Should -Be @('0002', '0003', '0004')
        $steps[0].Succeeded | Should -BeTrue
        $steps[0].Duration | Should -BeOfType [timespan]
        (Get-NexusMigration -ConnectionString $t.Cs -Pending).Id | Should -Be @('0002', '0003', '0004')
    }

    It 'reports what each down step would destroy, and changes nothing' {
        $before = Get-StoreFingerprint $t.Cs
        $steps = @(Test-NexusMigration -ConnectionString $t.Cs -Target base)
        Get-StoreFingerprint $t.Cs | Should -Be $before
        @($steps | ForEach-Object { "$($_.ScriptName) $($_.Direction.ToString().ToLowerInvariant())" }) | Should -Be (Get-WhatIfPlan $t.Cs base)
        $steps.Outcome | Should -Be @('Succeeded', 'Succeeded', 'Succeeded', 'Succeeded')
        # The rehearsal counts what a step really deletes: 0004 down removes the alembic_version row 0004 wrote
        # (only that: the original's own row is never touched), which Invoke-NexusMigration does not count as data.
        @($steps[0].Destroys | ForEach-Object ToString) | Should -Be $(if ($Dialect -eq 'sqlite') { '1 rows deleted from alembic_version' } else { 'table alembic_version (1 rows)' })
        @($steps[1].Destroys) | Should -BeNullOrEmpty -Because '0003 only drops indexes'
        @($steps[2].Destroys | ForEach-Object ToString) | Should -Be @('column content_chunks.protected_until (0 values)', 'column file_paths.current_version (3 values)')
        @($steps[3].Destroys | ForEach-Object ToString) | Should -Be @('table content_chunks (3 rows)', 'table file_metadata (3 rows)', 'table file_paths (3 rows)')
        $steps[3].DestroyedValues | Should -Be 9
    }

    It 'counts the rows a step touches, reports a failing step with its statement, and still changes nothing' {
        $folder = New-TestMigrationFolder -Extra @{
            '0005_touch'  = @{
                sqlite   = @('UPDATE file_paths SET size_bytes = size_bytes + 1;', 'UPDATE file_paths SET size_bytes = size_bytes - 1;')
                postgres = @('UPDATE file_paths SET size_bytes = size_bytes + 1;', 'UPDATE file_paths SET size_bytes = size_bytes - 1;')
            }
            '0006_broken' = @{
                sqlite   = @("ALTER TABLE file_paths ADD COLUMN note TEXT;`nINSERT INTO no_such_table VALUES (1);", 'ALTER TABLE file_paths DROP COLUMN note;')
                postgres = @("ALTER TABLE file_paths ADD COLUMN note text;`nINSERT INTO no_such_table VALUES (1);", 'ALTER TABLE file_paths DROP COLUMN note;')
            }
        }
        $before = Get-StoreFingerprint $t.Cs
        $steps = @(Test-NexusMigration -ConnectionString $t.Cs -MigrationPath $folder -ErrorVariable failures -ErrorAction SilentlyContinue)
        Get-StoreFingerprint $t.Cs | Should -Be $before
        @($steps | ForEach-Object { "$($_.ScriptName) $($_.Direction.ToString().ToLowerInvariant())" }) | Should -Be (Get-WhatIfPlan $t.Cs head $folder)
        $steps.Outcome | Should -Be @('Succeeded', 'Failed')
        $steps[0].RowsTouched | Should -Be 3
        $steps[1].Error | Should -Match 'at statement: INSERT INTO no_such_table'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'Nexus.MigrationFailed,Nexus.PowerShell.TestNexusMigrationCommand'
        (Get-NexusMigration -ConnectionString $t.Cs -MigrationPath $folder -Pending).Id | Should -Be @('0005', '0006')
    }

    It 'returns nothing when the store is already at the target' {
        Test-NexusMigration -ConnectionString $t.Cs | Should -BeNullOrEmpty
    }
}
