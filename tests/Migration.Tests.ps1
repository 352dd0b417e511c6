# Invoke-NexusMigration / Get-NexusMigration on both dialects: targets both ways, the plan and
# offline SQL, drift, failing migrations, the round trip of every migration, and the lock with
# real parallel processes.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/PromptHost.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    # The operations of the "What if: Performing the operation "..." on target "..."." host lines, in order.
    function Get-WhatIfOperations([string[]] $Lines) {
        @($Lines | Where-Object { $_ -match '^What if: Performing the operation "(?<op>.+)" on target ".*"\.$' } | ForEach-Object { $Matches.op })
    }
}

Describe 'Migration targets on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'is at head with both migrations applied and no drift' {
        $rows = Get-NexusMigration -ConnectionString $cs
        $rows.Id | Should -Be @('0001', '0002', '0003', '0004')
        $rows.State | Should -Be @('Applied', 'Applied', 'Applied', 'Applied')
        $rows.ChecksumMatches | Should -Be @($true, $true, $true, $true)
        $rows.HasDownScript | Should -Be @($true, $true, $true, $true)
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }

    It '-WhatIf prints the plan and changes nothing' {
        # The plan goes to the host (no stream carries -WhatIf lines): a recording host reads it.
        $before = Get-SchemaSnapshot $cs
        $down = Invoke-WithPromptHost -ArgumentList $cs -ScriptBlock { param($cs) Invoke-NexusMigration -ConnectionString $cs -Target base -WhatIf }
        $down.Failure | Should -BeNullOrEmpty
        $down.Output | Should -BeNullOrEmpty
        Get-WhatIfOperations $down.Lines | Should -Be @('Migrate down: 0004_original_alembic_revision', 'Migrate down: 0003_attribute_value_lookup', 'Migrate down: 0002_versions_protection_and_lookups', 'Migrate down: 0001_initial_schema')
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        Get-SchemaSnapshot $cs | Should -Be $before
        Get-NexusMigration -ConnectionString $cs -Pending | Should -BeNullOrEmpty

        $empty = New-TestDatabase -Dialect $Dialect
        try {
            $up = Invoke-WithPromptHost -ArgumentList $empty -ScriptBlock { param($cs) Invoke-NexusMigration -ConnectionString $cs -WhatIf }
            $up.Failure | Should -BeNullOrEmpty
            Get-WhatIfOperations $up.Lines | Should -Be @('Migrate up: 0001_initial_schema', 'Migrate up: 0002_versions_protection_and_lookups', 'Migrate up: 0003_attribute_value_lookup', 'Migrate up: 0004_original_alembic_revision')
            (Get-NexusMigration -ConnectionString $empty -Pending).Id | Should -Be @('0001', '0002', '0003', '0004')
        }
        finally { Remove-TestDatabase -ConnectionString $empty }
    }

    It 'goes down one step with -Target -1, newest first, and back up with +1' {
        $down = @(Invoke-NexusMigration -ConnectionString $cs -Target -1)
        $down.Id | Should -Be '0004'
        $down.Direction | Should -Be 'Down'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003')
        (Get-NexusMigration -ConnectionString $cs -Pending).Id | Should -Be '0004'

        $up = @(Invoke-NexusMigration -ConnectionString $cs -Target +1)
        $up.Id | Should -Be '0004'
        $up.Direction | Should -Be 'Up'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }

    It 'goes to an id, to base (only the journal left) and to head' {
        (Invoke-NexusMigration -ConnectionString $cs -Target 0001).Id | Should -Be @('0004', '0003', '0002')
        $down = @(Invoke-NexusMigration -ConnectionString $cs -Target base)
        $down.Id | Should -Be @('0001')
        Get-TableNames $cs | Should -Be (Get-BaseTableNames $Dialect)
        Get-JournalIds $cs | Should -Be @()
        (Invoke-NexusMigration -ConnectionString $cs).Id | Should -Be @('0001', '0002', '0003', '0004')
    }

    It 'does nothing when already at the target' {
        Invoke-NexusMigration -ConnectionString $cs | Should -BeNullOrEmpty
        Invoke-NexusMigration -ConnectionString $cs -Target 0004 | Should -BeNullOrEmpty
    }

    It 'rejects a target it does not know, naming the choices' {
        { Invoke-NexusMigration -ConnectionString $cs -Target 0042 } | Should -Throw -ExpectedMessage "*'0042' is not a migration*head, base*" -ErrorId 'Nexus.InvalidArgument,Nexus.PowerShell.InvokeNexusMigrationCommand'
        { Invoke-NexusMigration -ConnectionString $cs -Target -5 } | Should -Throw -ExpectedMessage '*only 4 are applied*'
    }

    It 'takes the store from NEXUS_DATABASE_URL in a fresh session without Connect-NexusStore' {
        Invoke-NexusMigration -ConnectionString $cs -Target base | Out-Null
        $r = Invoke-NexusInFreshSession -Environment @{ NEXUS_DATABASE_URL = $cs; DATABASE_URL = '' } -ScriptBlock {
            (Invoke-NexusMigration).Id -join ','
            (Get-NexusMigration -Pending | Measure-Object).Count
        }
        $r.StdErr | Should -BeNullOrEmpty
        $r.Output | Should -Be @('0001,0002,0003,0004', '0')
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }
}

Describe 'Offline SQL (-Script) on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'scripts base to head for a store that has nothing yet, and changes nothing' {
        $sql = Invoke-NexusMigration -ConnectionString $cs -Script
        $sql | Should -BeOfType [string]
        $sql | Should -Match '(?s)-- 0001_initial_schema \(up\)\s+BEGIN;.*CREATE TABLE file_paths.*INSERT INTO nexus_schema_journal.*COMMIT;.*-- 0002_versions_protection_and_lookups \(up\).*COMMIT;'
        if ($Dialect -eq 'sqlite') {
            Test-Path -LiteralPath ($cs -replace '^sqlite:///', '') | Should -BeFalse
        }
        else {
            Get-TableNames $cs | Should -BeNullOrEmpty
        }
    }

    It 'takes a store that has nothing yet straight to an older target (no detour through head)' {
        $fresh = New-TestDatabase -Dialect $Dialect
        try {
            $applied = @(Invoke-NexusMigration -ConnectionString $fresh -Target 0001)
            $applied.Id | Should -Be @('0001')
            $applied.Direction | Should -Be @('Up')
            Get-JournalIds $fresh | Should -Be @('0001')
        }
        finally { Remove-TestDatabase -ConnectionString $fresh }
    }

    It 'scripts a downgrade to base newest first with the journal deletes, to a file' {
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
        $file = Join-Path $env:NEXUS_TEST_RUN_DIR "down-$Dialect.sql"
        Invoke-NexusMigration -ConnectionString $cs -Target base -Script -OutFile $file | Should -BeNullOrEmpty
        $sql = Get-Content -Raw -LiteralPath $file
        $sql | Should -Match "(?s)-- 0002_versions_protection_and_lookups \(down\).*DELETE FROM nexus_schema_journal WHERE migration_id = '0002';\s+(PRAGMA foreign_key_check;\s+)?COMMIT;.*-- 0001_initial_schema \(down\).*DROP TABLE file_paths;.*migration_id = '0001'"
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }

    It 'runs as written: the script takes the store to base' {
        $sql = Invoke-NexusMigration -ConnectionString $cs -Target base -Script
        Invoke-TestSql $cs $sql | Out-Null
        Get-TableNames $cs | Should -Be (Get-BaseTableNames $Dialect)
        Get-JournalIds $cs | Should -Be @()
    }
}

Describe 'Round trip of every migration on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
        Invoke-NexusMigration -ConnectionString $cs -Target base | Out-Null
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'gives the same catalog after up then down, at every step' {
        $ids = (Get-NexusMigration -ConnectionString $cs).Id
        $ids.Count | Should -BeGreaterOrEqual 2
        foreach ($id in $ids) {
            $before = Get-SchemaSnapshot $cs
            (Invoke-NexusMigration -ConnectionString $cs -Target +1).Id | Should -Be $id
            $after = Get-SchemaSnapshot $cs
            # On SQLite 0004 down leaves its emptied alembic_version (no conditional DROP in a script), so from
            # the second time on its up only adds the row: no schema change to see there.
            if (-not ($Dialect -eq 'sqlite' -and $id -eq '0004')) {
                ($after -join "`n") | Should -Not -Be ($before -join "`n") -Because "migration $id changes the schema"
            }
            (Invoke-NexusMigration -ConnectionString $cs -Target -1).Id | Should -Be $id
            Get-SchemaSnapshot $cs | Should -Be $before -Because "down of $id undoes its up"
            Invoke-NexusMigration -ConnectionString $cs -Target +1 | Out-Null
        }
    }

    It 'base -> head -> base -> head leaves only the journal at base and an identical head' {
        $head1 = Get-SchemaSnapshot $cs
        Invoke-NexusMigration -ConnectionString $cs -Target base | Out-Null
        Get-TableNames $cs | Should -Be (Get-BaseTableNames $Dialect)
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
        Get-SchemaSnapshot $cs | Should -Be $head1
    }

    It 'has the same catalog at head as a store migrated in one go' {
        $fresh = New-TestDatabase -Dialect $Dialect
        try {
            Invoke-NexusMigration -ConnectionString $fresh | Out-Null
            Get-SchemaSnapshot $fresh | Should -Be (Get-SchemaSnapshot $cs)
        }
        finally { Remove-TestDatabase -ConnectionString $fresh }
    }
}

Describe 'Drift on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
    }
    AfterEach { Remove-TestDatabase -ConnectionString $cs }

    It 'refuses when an applied script changed, names it, and goes on with -Force' {
        Invoke-NexusMigration -ConnectionString $cs -Target -1 | Out-Null
        Invoke-TestSql $cs "UPDATE nexus_schema_journal SET checksum_sha256 = '$('0' * 64)' WHERE migration_id = '0001'" | Out-Null
        $row = Get-NexusMigration -ConnectionString $cs | Where-Object Id -eq '0001'
        $row.ChecksumMatches | Should -BeFalse
        ($row | Format-Table | Out-String) | Should -Match 'DRIFT'

        $err = $null
        try { Invoke-NexusMigration -ConnectionString $cs } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.MigrationFailed,Nexus.PowerShell.InvokeNexusMigrationCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match '0001_initial_schema was changed since it was applied.*-Force'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003')

        (Invoke-NexusMigration -ConnectionString $cs -Force).Id | Should -Be '0004'
    }

    It 'refuses when the journal holds a migration the module does not know' {
        Invoke-TestSql $cs @"
INSERT INTO nexus_schema_journal (migration_id, script_name, description, checksum_sha256, down_script, down_checksum_sha256, applied_at, module_version)
VALUES ('0099', '0099_from_the_future', 'newer', '$('a' * 64)', 'SELECT 1;', '$([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes('SELECT 1;'))).ToLowerInvariant())', '2030-01-01T00:00:00.000000Z', '9.9.9')
"@ | Out-Null
        $row = Get-NexusMigration -ConnectionString $cs | Where-Object Id -eq '0099'
        $row.State | Should -Be 'Unknown'
        { Invoke-NexusMigration -ConnectionString $cs } | Should -Throw -ExpectedMessage '*0099_from_the_future is in the journal but not in this module*'
        # Going below it runs the down script the journal recorded for it.
        (Invoke-NexusMigration -ConnectionString $cs -Target -1).Id | Should -Be '0099'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }
}

Describe 'A migration that fails halfway on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
        $folder = New-TestMigrationFolder -Extra @{
            '0005_half_done' = @{
                sqlite   = @("CREATE TABLE half_done (id INTEGER);`nINSERT INTO half_done VALUES (1);`nINSERT INTO no_such_table VALUES (1);`n", "DROP TABLE half_done;`n")
                postgres = @("CREATE TABLE half_done (id integer);`nINSERT INTO half_done VALUES (1);`nINSERT INTO no_such_table VALUES (1);`n", "DROP TABLE half_done;`n")
            }
        }
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'leaves schema and journal as before it and names the migration and the statement' {
        $before = Get-SchemaSnapshot $cs
        $err = $null
        try { Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.MigrationFailed,Nexus.PowerShell.InvokeNexusMigrationCommand'
        $err.Exception.Message | Should -Match 'Migration 0005_half_done \(up\) failed at statement: INSERT INTO no_such_table VALUES \(1\)'
        $err.Exception.Message | Should -Match 'no_such_table'
        $err.TargetObject | Should -Be '0005_half_done'
        Get-SchemaSnapshot $cs | Should -Be $before
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        Get-TableNames $cs | Should -Not -Contain 'half_done'
    }

    It 'keeps the steps before a failing one' {
        Invoke-NexusMigration -ConnectionString $cs -Target base | Out-Null
        { Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder } | Should -Throw -ExpectedMessage '*0005_half_done*'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }
}

Describe 'The migration lock on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
        # A test-only migration that takes a few seconds, so the two processes overlap.
        $folder = New-TestMigrationFolder -Extra @{
            '0005_slow' = @{
                sqlite   = @("CREATE TABLE slow_marker AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 8000000) SELECT count(*) AS n FROM c;`n", "DROP TABLE slow_marker;`n")
                postgres = @("CREATE TABLE slow_marker AS SELECT 1 AS n FROM pg_sleep(3);`n", "DROP TABLE slow_marker;`n")
            }
        }
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'lets two parallel processes apply each migration exactly once; the other waits and finds nothing to do' {
        $children = 1..2 | ForEach-Object {
            Start-NexusChildProcess -ArgumentList $cs, $folder -ScriptBlock {
                param($cs, $folder)
                $log = Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder -LockTimeout 120 -Verbose 4>&1
                $steps = @($log | Where-Object { $_.PSObject.TypeNames -contains 'Nexus.Core.Migrations.MigrationStep' })
                $took = $log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Took the migration lock .* after (\d+) ms' } |
                    ForEach-Object { [int]([regex]::Match($_.Message, 'after (\d+) ms').Groups[1].Value) }
                "steps=$($steps.Id -join ',') waitms=$took"
            }
        }
        $results = Wait-NexusChildProcess -Child $children -TimeoutSeconds 180
        $results.ExitCode | Should -Be @(0, 0) -Because ($results.StdErr -join "`n")
        $lines = $results | ForEach-Object { $_.Output[-1] }
        ($lines | Where-Object { $_ -match '^steps=0005 ' }).Count | Should -Be 1
        ($lines | Where-Object { $_ -match '^steps= ' }).Count | Should -Be 1
        $waits = $lines | ForEach-Object { [int]([regex]::Match($_, 'waitms=(\d+)').Groups[1].Value) }
        $loserWait = ($waits | Measure-Object -Maximum).Maximum
        Write-Host "    lock wait measured on ${Dialect}: loser waited $loserWait ms (winner $(($waits | Measure-Object -Minimum).Minimum) ms)"
        $loserWait | Should -BeGreaterThan 200
        Invoke-TestSql $cs "SELECT count(*) FROM nexus_schema_journal WHERE migration_id = '0005'" | Should -Be '1'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004', '0005')
        # slow_marker holds a row, so going below 0005 destroys data: -Force -Confirm:$false.
        Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder -Target 0004 -Force -Confirm:$false | Out-Null
    }

    It 'fails clearly after -LockTimeout when another holder keeps the lock, changing nothing' {
        # slow_marker holds a row, so going below 0005 destroys data: -Force -Confirm:$false.
        Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder -Target 0004 -Force -Confirm:$false | Out-Null
        $holder = if ($Dialect -eq 'sqlite') {
            $path = $cs -replace '^sqlite:///', ''
            $input = Join-Path $env:NEXUS_TEST_RUN_DIR 'hold-lock.sql'
            Set-Content -LiteralPath $input -Value "BEGIN IMMEDIATE;`n.shell sleep 6`nCOMMIT;`n"
            Start-Process -FilePath sqlite3 -ArgumentList '-batch', $path -RedirectStandardInput $input -PassThru -RedirectStandardOutput (Join-Path $env:NEXUS_TEST_RUN_DIR 'hold.out')
        }
        else {
            $input = Join-Path $env:NEXUS_TEST_RUN_DIR 'hold-lock-pg.sql'
            Set-Content -LiteralPath $input -Value "SELECT pg_advisory_lock(5649053753447115111);`nSELECT pg_sleep(6);`n"
            Start-Process -FilePath (Join-Path (& pg_config --bindir).Trim() 'psql') -ArgumentList $cs, '-X', '-q', '-At' -RedirectStandardInput $input -PassThru -RedirectStandardOutput (Join-Path $env:NEXUS_TEST_RUN_DIR 'hold.out')
        }
        try {
            Start-Sleep -Seconds 2
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $err = $null
            try { Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder -LockTimeout 1 } catch { $err = $_ }
            $clock.Stop()
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.Timeout,Nexus.PowerShell.InvokeNexusMigrationCommand'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.Exception.Message | Should -Match 'Another process held the migration lock.*nothing was changed.*-LockTimeout'
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3.5
        }
        finally {
            $holder.WaitForExit(15000) | Out-Null
        }
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }
}

Describe '-Backup on SQLite' {
    BeforeAll {
        $cs = New-TestDatabase -Dialect sqlite
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'copies the file next to itself before migrating and reports the path' {
        Invoke-NexusMigration -ConnectionString $cs -Target 0001 | Out-Null
        $db = $cs -replace '^sqlite:///', ''
        $info = $null
        $steps = @(Invoke-NexusMigration -ConnectionString $cs -Backup -InformationVariable info)
        $steps.Id | Should -Be @('0002', '0003', '0004')
        $backup = $steps[0].BackupPath
        $backup | Should -Match ([regex]::Escape([System.IO.Path]::GetFileNameWithoutExtension($db)) + '\.\d{8}T\d{9}Z\.bak\.db$')
        Split-Path $backup | Should -Be (Split-Path $db)
        Test-Path -LiteralPath $backup | Should -BeTrue
        "$info" | Should -Match ([regex]::Escape($backup))
        # The copy is the store as it was: at 0001.
        Invoke-TestSql "sqlite:///$backup" 'SELECT migration_id FROM nexus_schema_journal' | Should -Be '0001'
        Remove-Item -LiteralPath $backup
    }
}
