# Issue 5: Copy-NexusData between stores in every direction, verified by checksums; what it does
# with invalid rows, non-empty destinations, -WhatIf, progress, and a copy stopped with Ctrl+C or killed with SIGKILL.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    # Every direction: Dialect is the destination's (for the per-dialect counts), From the source's.
    $names = (Get-TestDialects).Dialect
    $script:Pairs = foreach ($from in $names) { foreach ($to in $names) { @{ From = $from; Dialect = $to } } }
    $script:Destinations = Get-TestDialects
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "transfer-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null
    # Connections still open to a test database: file handles of this process on a SQLite file
    # (a pooled connection keeps one), server sessions on a PostgreSQL database (seen from the
    # admin database, so our own look does not count; a closing session may linger a moment).
    function Get-OpenConnectionCount([string] $ConnectionString) {
        if ($ConnectionString -like 'sqlite:*') {
            $file = $ConnectionString -replace '^sqlite:///', ''
            return @(Get-ChildItem "/proc/$PID/fd" | Where-Object { $_.LinkTarget -and $_.LinkTarget.StartsWith($file) }).Count
        }
        $database = ($ConnectionString -split '/')[-1] -replace '\?.*$', ''
        $admin = $env:NEXUS_TEST_PG_ADMIN_URL
        $deadline = [datetime]::UtcNow.AddSeconds(5)
        do {
            $count = [int](Invoke-TestSql $admin "SELECT count(*) FROM pg_stat_activity WHERE datname = '$database'")
            if ($count -eq 0) { break }
            Start-Sleep -Milliseconds 100
        } while ([datetime]::UtcNow -lt $deadline)
        $count
    }
}

Describe 'Copy-NexusData from <From> to <Dialect>' -ForEach $Pairs {
    BeforeAll {
        $source = New-FixtureStore $From
        Add-FixtureRows $source
        $destination = New-TestDatabase -Dialect $Dialect
        $results = @(Copy-NexusData -Source $source -Destination $destination)
    }
    AfterAll {
        Remove-TestDatabase $source
        Remove-TestDatabase $destination
    }

    It 'returns one verified result per table, with matching checksums' {
        $results.Table | Should -Be @('file_paths', 'file_metadata', 'content_chunks')
        $results.RowsRead | Should -Be @(3, 15, 2)
        $results.RowsWritten | Should -Be @(3, 15, 2)
        $results.RowsSkipped | Should -Be @(0, 0, 0)
        $results.Match | Should -Be @($true, $true, $true)
        foreach ($r in $results) { $r.DestinationChecksum | Should -Be $r.SourceChecksum; $r.SourceChecksum | Should -Match '^[0-9a-f]{64}$' }
        # The type lives in the module's own load context, so compare by name.
        $results[0].GetType().FullName | Should -Be 'Nexus.Core.Transfer.TableTransferResult'
    }

    It 'migrated the destination to the source''s revision' {
        Invoke-TestSql $destination 'SELECT max(migration_id) FROM nexus_schema_journal' | Should -Be '0004'
    }

    It 'carries every column of <_> unchanged (ids, Unicode text, big integers, microsecond UTC times, NULLs)' -ForEach @('file_paths', 'file_metadata', 'content_chunks') {
        $expected = Get-TableDump $source $_
        $expected.Count | Should -BeGreaterThan 0
        Get-TableDump $destination $_ | Should -Be $expected
    }

    It 'keeps every attribute value shape as the same JSON value (SQL NULL stays NULL, JSON null stays null)' {
        $before = Get-AttributeValues $source
        $after = Get-AttributeValues $destination
        $after.Count | Should -Be $before.Count
        foreach ($key in $before.Keys) {
            ConvertTo-SortedJson $after[$key] | Should -Be (ConvertTo-SortedJson $before[$key]) -Because $key
        }
        $ids = Get-FixtureIds
        $after["$($ids.Report)/sqlnull"] | Should -BeNullOrEmpty
        $after["$($ids.Report)/jsonnull"] | Should -Be 'null'
        (ConvertFrom-Json $after["$($ids.Report)/string"]) | Should -Be "héllo `"quoted`" \ back`nline 😀 日本"
        (ConvertFrom-Json $after["$($ids.Report)/repeated"]).k | Should -Be 2
    }

    It 'finds the Unicode path and the soft-deleted record in the destination' {
        $ids = Get-FixtureIds
        Invoke-TestSql $destination "SELECT virtual_path FROM file_paths WHERE deleted_at IS NOT NULL" | Should -Be '/données/日本語/😀 file''s "name".txt'
        Invoke-TestSql $destination "SELECT count(*) FROM file_paths WHERE virtual_path = '/docs/report.pdf'" | Should -Be '2'
        Invoke-TestSql $destination "SELECT size_bytes FROM file_paths WHERE tenant_id = 'tenant-b'" | Should -Be '9007199254740993'
    }

    It 'refuses a copy onto a destination holding other rows: the destination is not empty' {
        # Issue 14: the same copy again onto an identical copy succeeds (next test); one more row makes it another store.
        Invoke-TestSql $destination "INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at) VALUES ('40000000-0000-4000-8000-0000000000fe', 'other-row', 1, '/x', 1, '2024-01-01T00:00:00.000000Z')" | Out-Null
        try {
            $before = Get-RowCounts $destination
            { Copy-NexusData -Source $source -Destination $destination } | Should -Throw -ErrorId 'Nexus.AlreadyExists,Nexus.PowerShell.CopyNexusDataCommand'
            try { Copy-NexusData -Source $source -Destination $destination } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.Exception.Message | Should -Match '-Merge.*-Force'
            Get-RowCounts $destination | Should -Be $before
        }
        finally { Invoke-TestSql $destination "DELETE FROM content_chunks WHERE content_hash = 'other-row'" | Out-Null }
    }

    It 'finds the same copy again identical, writes nothing and succeeds' {
        $before = Get-TableDump $destination 'file_paths'
        $r = Copy-NexusData -Source $source -Destination $destination
        $r.Match | Should -Be @($true, $true, $true)
        Get-TableDump $destination 'file_paths' | Should -Be $before
    }

    It '-Force replaces the destination''s rows with the source''s' {
        Invoke-TestSql $destination "INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at) VALUES ('40000000-0000-4000-8000-0000000000ff', 'extra', 1, '/x', 1, '2024-01-01T00:00:00.000000Z')" | Out-Null
        $r = Copy-NexusData -Source $source -Destination $destination -Force -Confirm:$false
        $r.Match | Should -Be @($true, $true, $true)
        Get-RowCounts $destination | Should -Be '3/15/2'
        Get-TableDump $destination 'content_chunks' | Should -Be (Get-TableDump $source 'content_chunks')
    }

    It '-Merge upserts by natural key: the source''s values win, the destination keeps its own ids and extra rows' {
        $target = New-FixtureStore $Dialect
        try {
            $ids = Get-FixtureIds
            # The same record (tenant-a, /docs/report.pdf) under another id, with an attribute of its own,
            # an unrelated record, and the chunk hash-1 with another id and size.
            Invoke-TestSql $target @"
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES
 ('50000000-0000-4000-8000-000000000001', 'tenant-a', '/docs/report.pdf', 'old', '/old', 1, '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z'),
 ('50000000-0000-4000-8000-000000000002', 'tenant-z', '/only/here', 'local', '/z', 5, '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z');
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES
 ('60000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000001', 'integer', '7', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z'),
 ('60000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000001', 'local-only', '"kept"', '2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z');
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at) VALUES
 ('70000000-0000-4000-8000-000000000001', 'hash-1', 1, '/old', 9, '2020-01-01T00:00:00.000000Z');
"@ | Out-Null
            $r = Copy-NexusData -Source $source -Destination $target -Merge
            $r.Match | Should -Be @($true, $true, $true)
            $r.RowsWritten | Should -Be @(3, 15, 2)
            Get-RowCounts $target | Should -Be '4/16/2'
            # The record kept its id and took the source's values; the source's attributes joined it.
            Invoke-TestSql $target "SELECT backend_id FROM file_paths WHERE tenant_id = 'tenant-a' AND virtual_path = '/docs/report.pdf'" | Should -Be 'local'
            $values = Get-AttributeValues $target
            $values['50000000-0000-4000-8000-000000000001/integer'] | Should -Be '42'
            $values['50000000-0000-4000-8000-000000000001/local-only'] | Should -Be '"kept"'
            $values.ContainsKey("$($ids.Report)/integer") | Should -BeFalse
            Invoke-TestSql $target "SELECT ref_count FROM content_chunks WHERE content_hash = 'hash-1'" | Should -Be '1'
            Invoke-TestSql $target "SELECT count(*) FROM file_paths WHERE tenant_id = 'tenant-z'" | Should -Be '1'
            # Merging again changes nothing and still verifies.
            (Copy-NexusData -Source $source -Destination $target -Merge).Match | Should -Be @($true, $true, $true)
            Get-RowCounts $target | Should -Be '4/16/2'
        }
        finally { Remove-TestDatabase $target }
    }

    It '-WhatIf copies nothing' {
        $target = New-FixtureStore $Dialect
        try {
            Copy-NexusData -Source $source -Destination $target -WhatIf | Should -BeNullOrEmpty
            Get-RowCounts $target | Should -Be '0/0/0'
        }
        finally { Remove-TestDatabase $target }
    }

    It 'takes store objects as well as connection strings, and closes only the stores it opened' {
        $target = New-TestDatabase -Dialect $Dialect
        $from = Connect-NexusStore $source -NoDefault
        $to = Connect-NexusStore $target -NoDefault -WarningAction SilentlyContinue
        try {
            (Copy-NexusData -Source $from -Destination $to).Match | Should -Be @($true, $true, $true)
            $from.IsOpen | Should -BeTrue
            $to.IsOpen | Should -BeTrue
        }
        finally {
            Disconnect-NexusStore -Store $from
            Disconnect-NexusStore -Store $to
            Remove-TestDatabase $target
        }
        # Opened here from connection strings: closed when the copy ends, nothing left connected.
        $again = New-TestDatabase -Dialect $Dialect
        try {
            (Copy-NexusData -Source $source -Destination $again).Match | Should -Be @($true, $true, $true)
            Get-OpenConnectionCount $source | Should -Be 0 -Because 'the source store opened from its connection string is closed'
            Get-OpenConnectionCount $again | Should -Be 0 -Because 'the destination store opened from its connection string is closed'
        }
        finally { Remove-TestDatabase $again }
    }
}

Describe 'Invalid rows from an adopted SQLite store, copied to <Dialect>' -ForEach $Destinations {
    BeforeAll {
        # The original system's stores have no json_valid check and take any id text.
        $source = New-FixtureStore sqlite
        Add-FixtureRows $source
        Invoke-TestSql $source @"
PRAGMA ignore_check_constraints = ON;
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES
 ('not-a-uuid', 'tenant-a', '/broken/id', 'local', '/b', 1, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z');
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES
 ('80000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000003', 'bad', '{"unterminated": ', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'),
 ('80000000-0000-4000-8000-000000000002', 'not-a-uuid', 'child', '1', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z');
"@ | Out-Null
    }
    AfterAll { Remove-TestDatabase $source }

    It 'stops with the table and key of the first bad row, and writes nothing' {
        $target = New-TestDatabase -Dialect $Dialect
        try {
            $err = $null
            try { Copy-NexusData -Source $source -Destination $target } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.CopyNexusDataCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -Match "file_paths row path_id='not-a-uuid'.*tenant_id='tenant-a'.*virtual_path='/broken/id'"
            $err.Exception.Message | Should -Match 'not a uuid'
            $err.Exception.Message | Should -Match '-SkipInvalid'
            Get-RowCounts $target | Should -Be '0/0/0'
        }
        finally { Remove-TestDatabase $target }
    }

    It '-SkipInvalid copies the rest, counts the skipped rows and writes them to the reject file' {
        $target = New-TestDatabase -Dialect $Dialect
        $rejects = Join-Path $Work "rejects-$Dialect.ndjson"
        try {
            $r = Copy-NexusData -Source $source -Destination $target -SkipInvalid -RejectPath $rejects
            $r.RowsRead | Should -Be @(4, 17, 2)
            $r.RowsSkipped | Should -Be @(1, 2, 0)
            $r.RowsWritten | Should -Be @(3, 15, 2)
            $r.Match | Should -Be @($true, $true, $true)
            $r[0].RejectFile | Should -Be $rejects
            Get-RowCounts $target | Should -Be '3/15/2'
            $lines = @(Get-Content $rejects | ForEach-Object { $_ | ConvertFrom-Json })
            $lines.Count | Should -Be 3
            $lines.table | Should -Be @('file_paths', 'file_metadata', 'file_metadata')
            ($lines | Where-Object { $_.row.key -eq 'bad' }).reason | Should -Match 'not valid JSON'
            ($lines | Where-Object { $_.row.key -eq 'bad' }).column | Should -Be 'value'
            ($lines | Where-Object { $_.row.key -eq 'child' }).reason | Should -Match 'not a uuid'
            $lines[0].row.virtual_path | Should -Be '/broken/id'
        }
        finally { Remove-TestDatabase $target }
    }
}

Describe 'A copy into <Dialect> stopped (Ctrl+C), watched (progress), killed with SIGKILL and run again' -ForEach $Destinations {
    BeforeAll {
        $source = New-FixtureStore sqlite
        Add-BulkRows $source 60000
        $target = New-TestDatabase -Dialect $Dialect
    }
    AfterAll {
        Remove-TestDatabase $source
        Remove-TestDatabase $target
    }

    It 'stopped with Ctrl+C while rows flow, leaves the destination empty with its keys and indexes' {
        $stopped = New-TestDatabase -Dialect $Dialect
        $ps = New-NexusRunspacePipeline -ArgumentList $source, $stopped -ScriptBlock {
            param($source, $target)
            Copy-NexusData -Source $source -Destination $target
        }
        try {
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            do {
                Start-Sleep -Milliseconds 50
                $loading = @($ps.Streams.Progress | Where-Object { $_.StatusDescription -match '^Copying \w+: [\d,]+ of' }).Count -gt 0
            } until ($loading -or $handle.IsCompleted -or [DateTime]::UtcNow -gt $deadline)
            $handle.IsCompleted | Should -BeFalse -Because 'the copy must still be running when it is stopped'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Get-RowCounts $stopped | Should -Be '0/0/0' -Because 'a stopped copy commits nothing'
            if ($Dialect -eq 'postgres') {
                # Keys and indexes dropped for the load came back with the rollback.
                Invoke-TestSql $stopped "SELECT count(*) FROM pg_indexes WHERE tablename = 'file_metadata' AND indexname = 'idx_file_metadata_value_gin'" | Should -Be '1'
            }
        }
        finally { $ps.Dispose(); Remove-TestDatabase $stopped }
    }

    It 'reports progress with rows per second and the time left, and completes it' {
        $watched = New-TestDatabase -Dialect $Dialect
        $ps = New-NexusRunspacePipeline -ArgumentList $source, $watched -ScriptBlock {
            param($source, $target)
            Copy-NexusData -Source $source -Destination $target
        }
        try {
            $results = $ps.Invoke()
            $results.Match | Should -Be @($true, $true, $true)
            $progress = @($ps.Streams.Progress)
            $rows = @($progress | Where-Object { $_.StatusDescription -match '^(Copying|Verifying) (file_paths|file_metadata|content_chunks): [\d,]+ of [\d,]+ rows, [\d,]+ rows/s$' })
            $rows.Count | Should -BeGreaterThan 1
            @($rows | Where-Object { $_.SecondsRemaining -ge 0 -and $_.PercentComplete -ge 0 }).Count | Should -BeGreaterThan 0
            @($progress | Where-Object StatusDescription -Match '^Verifying').Count | Should -BeGreaterThan 0
            $progress[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose(); Remove-TestDatabase $watched }
    }

    It 'leaves nothing behind, and the same command then finishes and verifies' {
        $child = Start-NexusChildProcess -ArgumentList $source, $target -ScriptBlock {
            param($source, $target)
            Copy-NexusData -Source $source -Destination $target | Out-Null
            'finished'
        }
        # Kill it while rows are flowing: the COPY is running (PostgreSQL) or the WAL grows (SQLite).
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        $pg = $Dialect -eq 'postgres'
        $dbName = if ($pg) { ($target -split '/')[-1] -replace '\?.*$' } else { $null }
        $wal = if ($pg) { $null } else { (($target -replace '^sqlite:///', '') + '-wal') }
        $admin = if ($pg) { ($target -replace '/[^/]+$', '/postgres') } else { $null }
        do {
            Start-Sleep -Milliseconds 100
            $loading = if ($pg) {
                [int](Invoke-TestSql $admin "SELECT count(*) FROM pg_stat_activity WHERE datname = '$dbName' AND query LIKE 'COPY %'") -gt 0
            }
            else { (Test-Path $wal) -and (Get-Item $wal).Length -gt 2MB }
        } until ($loading -or $child.Process.HasExited -or [DateTime]::UtcNow -gt $deadline)
        $child.Process.HasExited | Should -BeFalse -Because 'the copy must still be running when it is killed'
        $child.Process.Kill()   # SIGKILL: no cleanup code runs
        $child.Process.WaitForExit()
        $killed = Wait-NexusChildProcess $child
        $killed.Output | Should -Not -Contain 'finished'

        Get-RowCounts $target | Should -Be '0/0/0' -Because 'the copy runs in one transaction'
        $r = Copy-NexusData -Source $source -Destination $target
        $r.Match | Should -Be @($true, $true, $true)
        Get-RowCounts $target | Should -Be (Get-RowCounts $source)
        Invoke-TestSql $target 'SELECT count(DISTINCT path_id) FROM file_paths' | Should -Be '60000'
    }
}

Describe 'Copy-NexusData arguments' {
    It 'refuses a source file that does not exist, without creating it' {
        $missing = Join-Path $Work 'missing.db'
        { Copy-NexusData -Source $missing -Destination (Join-Path $Work 'x.db') } | Should -Throw -ErrorId 'Nexus.NotFound,Nexus.PowerShell.CopyNexusDataCommand'
        Test-Path $missing | Should -BeFalse
    }

    It '-WhatIf with a new SQLite file as destination creates no file' {
        $a = New-FixtureStore sqlite; Add-FixtureRows $a
        $new = Join-Path $Work 'whatif-new.db'
        try {
            Copy-NexusData -Source $a -Destination $new -WhatIf | Should -BeNullOrEmpty
            Test-Path $new | Should -BeFalse
        }
        finally { Remove-TestDatabase $a }
    }

    It 'gives a new SQLite destination the source''s revision directly, without building the newest first' {
        $a = New-FixtureStore sqlite; Add-FixtureRows $a
        $a0001 = Join-Path $Work 'rev-0001.db'
        $new = Join-Path $Work 'rev-new.db'
        try {
            Copy-NexusData -Source $a -Destination $a0001 | Out-Null
            $null = Invoke-NexusMigration -ConnectionString "sqlite:///$a0001" -Target 0001 -Force -Confirm:$false
            $log = Copy-NexusData -Source $a0001 -Destination $new -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
            $log | Should -Match 'Applied 0001_initial_schema'
            $log | Should -Not -Match '0002_versions_protection_and_lookups'
            Invoke-TestSql "sqlite:///$new" 'SELECT migration_id FROM nexus_schema_journal' | Should -Be '0001'
        }
        finally { Remove-TestDatabase $a }
    }

    It 'refuses an existing SQLite file without a Nexus schema as source, and leaves it empty' {
        $empty = Join-Path $Work 'empty-source.db'
        $null = Invoke-TestSql "sqlite:///$empty" 'CREATE TABLE unrelated (x int)'
        { Copy-NexusData -Source $empty -Destination (Join-Path $Work 'y.db') } | Should -Throw -ErrorId 'Nexus.SchemaMismatch,Nexus.PowerShell.CopyNexusDataCommand'
        Invoke-TestSql "sqlite:///$empty" "SELECT name FROM sqlite_master WHERE type = 'table'" | Should -Be 'unrelated'
    }

    It 'copies -Store, or the runspace''s connected store, when -Source is not given; refuses both' {
        $a = New-FixtureStore sqlite; Add-FixtureRows $a
        $b = New-TestDatabase -Dialect sqlite
        $c = New-TestDatabase -Dialect sqlite
        $from = Connect-NexusStore $a -NoDefault
        $ps = New-NexusRunspacePipeline -ArgumentList $a, $c -ScriptBlock {
            param($a, $c)
            $null = Connect-NexusStore $a
            (Copy-NexusData -Destination $c).Match
        }
        try {
            (Copy-NexusData -Store $from -Destination $b).Match | Should -Be @($true, $true, $true)
            Get-RowCounts $b | Should -Be (Get-RowCounts $a)
            { Copy-NexusData -Source $a -Store $from -Destination $c } | Should -Throw -ErrorId 'Nexus.InvalidArgument,Nexus.PowerShell.CopyNexusDataCommand'
            $ps.Invoke() | Should -Be @($true, $true, $true)
            Get-RowCounts $c | Should -Be (Get-RowCounts $a)
        }
        finally { $ps.Dispose(); Disconnect-NexusStore -Store $from; Remove-TestDatabase $a; Remove-TestDatabase $b; Remove-TestDatabase $c }
    }

    It 'refuses to copy a store onto itself' {
        $cs = New-FixtureStore sqlite
        try {
            { Copy-NexusData -Source $cs -Destination $cs } | Should -Throw -ErrorId 'Nexus.InvalidArgument,Nexus.PowerShell.CopyNexusDataCommand'
        }
        finally { Remove-TestDatabase $cs }
    }

    It 'does not take -Merge and -Force together' {
        { Copy-NexusData -Source a.db -Destination b.db -Merge -Force } | Should -Throw -ErrorId 'AmbiguousParameterSet,Nexus.PowerShell.CopyNexusDataCommand'
    }

    It 'shows results as a table with the table name, row counts and Match' {
        $a = New-FixtureStore sqlite; Add-FixtureRows $a
        $b = New-TestDatabase -Dialect sqlite
        try {
            $text = Copy-NexusData -Source $a -Destination $b | Format-Table | Out-String -Width 300
            $text | Should -Match 'Table\s+RowsRead\s+RowsWritten\s+RowsSkipped\s+Match\s+Seconds\s+Checksum'
            $text | Should -Match 'file_metadata\s+15\s+15\s+0\s+True'
        }
        finally { Remove-TestDatabase $a; Remove-TestDatabase $b }
    }

    It 'has full help with a synopsis, a description, parameters and an example for <_>' -ForEach @('Copy-NexusData', 'Export-NexusData', 'Import-NexusData', 'Backup-NexusStore') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s"
        $help.description | Should -Not -BeNullOrEmpty
        @($help.parameters.parameter).Count | Should -BeGreaterThan 1
        @($help.parameters.parameter | Where-Object { -not $_.description }).name | Should -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
    }
}

Describe 'Records written with the store cmdlets, copied from <From> to <Dialect>' -ForEach $Pairs {
    It 'reads back the same records and attribute values with Get-NexusMetadata / Get-NexusAttribute' {
        $source = New-FixtureStore $From
        $target = New-TestDatabase -Dialect $Dialect
        $s = Connect-NexusStore $source -NoDefault
        try {
            Set-NexusMetadata -Store $s -Path '/réseau/日本/a.txt' -BackendName local -PhysicalPath '/p/a' -Size 5
            Set-NexusMetadata -Store $s -Path '/b' -BackendName s3 -PhysicalPath '/p/b' -Size 0 -Tenant 'other'
            # What was written, as the JSON and .NET type that must come back (object keys sorted).
            $values = [ordered]@{
                text = 'ünïcode 😀'; number = 3.25; big = 9007199254740993; flag = $false
                list = @(1, 'two', $null, @('x')); map = [ordered]@{ z = 1; a = @{ deep = 'yes' } }
            }
            $expected = @{
                text = @{ Json = '"ünïcode 😀"'; Type = [string] }
                number = @{ Json = '3.25'; Type = [double] }
                big = @{ Json = '9007199254740993'; Type = [long] }
                flag = @{ Json = 'false'; Type = [bool] }
                list = @{ Json = '[1,"two",null,["x"]]'; Type = [object[]] }
                map = @{ Json = '{"a":{"deep":"yes"},"z":1}'; Type = [pscustomobject] }
            }
            foreach ($k in $values.Keys) { Set-NexusAttribute -Store $s -Path '/réseau/日本/a.txt' -Key $k -Value $values[$k] }
            $r = Copy-NexusData -Source $s -Destination $target
            $r.Match | Should -Be @($true, $true, $true)
            $d = Connect-NexusStore $target -NoDefault
            try {
                $after = Get-NexusMetadata -Store $d -Path '/réseau/日本/a.txt'
                $after.BackendName | Should -Be 'local'
                $after.PhysicalPath | Should -Be '/p/a'
                $after.Size | Should -Be 5
                $other = Get-NexusMetadata -Store $d -Path '/b' -Tenant 'other'
                $other.BackendName | Should -Be 's3'
                $other.PhysicalPath | Should -Be '/p/b'
                $other.Size | Should -Be 0
                $read = Get-NexusAttribute -Store $d -Path '/réseau/日本/a.txt'
                ($read.PSObject.Properties.Name | Sort-Object) | Should -Be ($values.Keys | Sort-Object)
                foreach ($k in $values.Keys) {
                    $a = Get-NexusAttribute -Store $d -Path '/réseau/日本/a.txt' -Key $k
                    , $a | Should -BeOfType $expected[$k].Type -Because $k
                    ($a | ConvertTo-Json -Depth 10 -Compress) | Should -BeExactly $expected[$k].Json -Because $k
                }
            }
            finally { Disconnect-NexusStore -Store $d }
        }
        finally {
            Disconnect-NexusStore -Store $s
            Remove-TestDatabase $source
            Remove-TestDatabase $target
        }
    }
}

Describe 'A source at an older schema revision, copied from <From> to <Dialect>' -ForEach $Pairs {
    It 'brings the new destination to the source''s revision (0001) and copies its columns' {
        $source = New-FixtureStore $From
        $target = New-TestDatabase -Dialect $Dialect
        try {
            $s = Connect-NexusStore $source -NoDefault
            Invoke-NexusMigration -Store $s -Target 0001 -Confirm:$false | Out-Null
            Disconnect-NexusStore -Store $s
            Invoke-TestSql $source "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES ('10000000-0000-4000-8000-0000000000aa', 't', '/old', 'local', '/o', 3, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'); INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at) VALUES ('40000000-0000-4000-8000-0000000000aa', 'h', 3, '/c', 1, '2024-01-01T00:00:00.000000Z')" | Out-Null
            $r = Copy-NexusData -Source $source -Destination $target -WarningAction SilentlyContinue
            $r.Match | Should -Be @($true, $true, $true)
            $r.RowsWritten | Should -Be @(1, 0, 1)
            Invoke-TestSql $target 'SELECT max(migration_id) FROM nexus_schema_journal' | Should -Be '0001'
            Invoke-TestSql $target "SELECT virtual_path FROM file_paths" | Should -Be '/old'
        }
        finally {
            Remove-TestDatabase $source
            Remove-TestDatabase $target
        }
    }
}
