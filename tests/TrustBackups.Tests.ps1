# Issue 9, item 7: backups that are backups. Only a verified, complete file may ever carry the
# backup's name; a killed or failed run leaves nothing that the next run does not remove; errors
# are Nexus errors. Backup-NexusStore and Invoke-NexusMigration -Backup share one checked backup.
#
# SQLite only: both make a copy of a SQLite file (VACUUM INTO). On PostgreSQL Backup-NexusStore
# refuses (pg_dump / Export-NexusData do that job, see TransferBackup.Tests.ps1) and -Backup writes
# no file (checked at the end). The full-disk tests mount a small tmpfs, which needs root (the
# test command runs as root); without it they are skipped.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:CanMount = $IsLinux -and ((& id -u) -eq '0')
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "backups-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null

    # A store at $Path (made, migrated to -Revision) with $Megabytes of incompressible rows in an
    # extra table, written with a rollback journal so that a small disk holds it.
    function New-BallastStore([string] $Path, [int] $Megabytes, [string] $Revision = 'head') {
        $s = Connect-NexusStore -Path $Path -NoDefault -WarningAction SilentlyContinue
        if ($Revision -ne 'head') { Invoke-NexusMigration -Store $s -Target $Revision -Confirm:$false | Out-Null }
        Disconnect-NexusStore -Store $s
        Invoke-TestSql "sqlite:///$Path" @"
PRAGMA journal_mode=DELETE;
CREATE TABLE ballast (b BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $Megabytes)
INSERT INTO ballast SELECT randomblob(1048576) FROM n;
PRAGMA journal_mode=WAL;
"@ | Out-Null
    }

    function Mount-SmallDisk([string] $Path, [int] $Megabytes) {
        New-Item -ItemType Directory $Path -Force | Out-Null
        & mount -t tmpfs -o "size=$($Megabytes)m" tmpfs $Path
        if ($LASTEXITCODE) { throw "mount tmpfs on $Path failed" }
    }

    function Dismount-SmallDisk([string] $Path) {
        if ((Get-Content /proc/mounts) -match " $([regex]::Escape($Path)) tmpfs ") { & umount $Path }
    }

    function Get-Error([scriptblock] $Call) {
        try { & $Call; $null } catch { $_ }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Item 7: Backup-NexusStore, killed mid-copy or out of disk, on sqlite' -Tag 'sqlite' {
    BeforeAll {
        $db = Join-Path $Work 'big.db'
        New-BallastStore $db 600   # big enough that the copy is still running when the poll below sees it grow
    }
    AfterAll { Remove-TestDatabase "sqlite:///$db" }

    It 'a run killed mid-copy leaves only a partial file; the next run removes it and writes a verified backup' {
        $backup = Join-Path $Work 'killed' 'big-backup.db'
        $child = Start-NexusChildProcess -ArgumentList $db, $backup -ScriptBlock {
            param($db, $backup)
            $s = Connect-NexusStore -Path $db -NoDefault
            Backup-NexusStore -Store $s -Path $backup
        }
        try {
            # Kill it (SIGKILL: nothing of it can clean up) once its partial file is growing.
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            do {
                Start-Sleep -Milliseconds 20
                $partial = Get-ChildItem -Path "$backup.partial-*" -ErrorAction SilentlyContinue | Where-Object Length -gt 8MB
            } until ($partial -or $child.Process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $child.Process.HasExited | Should -BeFalse -Because 'the backup must still be running when it is killed'
            $child.Process.Kill()
        }
        finally {
            $null = Wait-NexusChildProcess $child -TimeoutSeconds 60
        }
        Test-Path -LiteralPath $backup | Should -BeFalse -Because 'an unfinished copy never carries the backup name'
        $left = @(Get-ChildItem -Path "$backup.partial-*" -Exclude '*-journal', '*-wal', '*-shm')
        $left.Count | Should -Be 1

        $warnings = $null
        $verbose = Backup-NexusStore -Path $backup -Store ($s = Connect-NexusStore -Path $db -NoDefault) -Verbose -WarningVariable warnings 4>&1
        Disconnect-NexusStore -Store $s
        $result = $verbose | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $result.IntegrityCheck | Should -Be 'ok'
        $result.RemovedLeftovers | Should -Be @($left[0].FullName)
        "$warnings" | Should -BeLike "*$($left[0].Name)*"
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike "*Removed $($left[0].FullName)*"
        Get-ChildItem -Path "$backup.partial-*" | Should -BeNullOrEmpty
        Invoke-TestSql "sqlite:///$backup" 'PRAGMA integrity_check' | Should -Be 'ok'
        Invoke-TestSql "sqlite:///$backup" 'SELECT count(*) FROM ballast' | Should -Be '600'
    }

    It 'keeps the partial file of a backup that is still running' {
        $backup = Join-Path $Work 'live' 'live-backup.db'
        New-Item -ItemType Directory (Split-Path $backup) | Out-Null
        # A run of this very process holds its partial open, as a running backup does.
        $running = [System.IO.File]::Open("$backup.partial-$PID-00000000", 'CreateNew', 'ReadWrite', 'ReadWrite, Delete')
        try {
            $s = Connect-NexusStore -Path $db -NoDefault
            $verbose = Backup-NexusStore -Store $s -Path $backup -Verbose 4>&1
            Disconnect-NexusStore -Store $s
            Test-Path -LiteralPath "$backup.partial-$PID-00000000" | Should -BeTrue
            ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike '*Kept *still running*'
        }
        finally { $running.Dispose() }
    }

    Context 'on a disk too small for the backup' -Skip:(-not $CanMount) {
        BeforeAll {
            $disk = Join-Path $Work 'small-disk'
            Mount-SmallDisk $disk 8
        }
        AfterAll { Dismount-SmallDisk $disk }

        It 'fails with a Nexus error and leaves no file, partial or journal' {
            $s = Connect-NexusStore -Path $db -NoDefault
            try { $err = Get-Error { Backup-NexusStore -Store $s -Path (Join-Path $disk 'full.db') } }
            finally { Disconnect-NexusStore -Store $s }
            $err | Should -Not -BeNullOrEmpty
            $err.Exception.GetType().FullName | Should -Be 'Nexus.Core.Store.NexusException'
            $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.DiskFull,Nexus.PowerShell.BackupNexusStoreCommand'
            $err.Exception.Message | Should -BeLike "*full.db' failed, and its partial file was deleted*"
            Get-ChildItem -LiteralPath $disk -Force | Should -BeNullOrEmpty
        }
    }
}

Describe 'Item 7: Invoke-NexusMigration -Backup is the checked backup, on sqlite' -Tag 'sqlite' {
    It 'removes the partial file of an earlier killed -Backup run and writes a verified copy' {
        $folder = Join-Path $Work 'migrate'
        $db = Join-Path $folder 'nexus.db'
        New-Item -ItemType Directory $folder | Out-Null
        New-BallastStore $db 2 -Revision '0001'
        # What a killed earlier -Backup leaves: its process is gone, nobody holds the file.
        $leftover = Join-Path $folder 'nexus.20250101T000000000Z.bak.db.partial-2147483647-deadbeef'
        Set-Content -LiteralPath $leftover -Value 'half a copy'
        Set-Content -LiteralPath "$leftover-journal" -Value 'its journal'

        $out = Invoke-NexusMigration -ConnectionString "sqlite:///$db" -Backup -Confirm:$false -Verbose 4>&1
        $steps = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $steps.Id | Should -Be @('0002', '0003', '0004')
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike "*Removed $leftover*"
        Test-Path -LiteralPath $leftover | Should -BeFalse
        Test-Path -LiteralPath "$leftover-journal" | Should -BeFalse
        $backup = $steps[0].BackupPath
        Get-ChildItem -Path "$backup.partial-*" | Should -BeNullOrEmpty
        Invoke-TestSql "sqlite:///$backup" 'PRAGMA integrity_check' | Should -Be 'ok'
        Invoke-TestSql "sqlite:///$backup" 'SELECT migration_id FROM nexus_schema_journal' | Should -Be '0001'
    }

    Context 'on a full disk' -Skip:(-not $CanMount) {
        BeforeAll {
            $disk = Join-Path $Work 'small-store-disk'
            Mount-SmallDisk $disk 20
            $db = Join-Path $disk 'nexus.db'
            New-BallastStore $db 12 -Revision '0001'
        }
        AfterAll { Dismount-SmallDisk $disk }

        It 'fails with a Nexus error, leaves no *.bak.db (nor partial, nor journal) and does not migrate' {
            $err = Get-Error { Invoke-NexusMigration -ConnectionString "sqlite:///$db" -Backup -Confirm:$false }
            $err | Should -Not -BeNullOrEmpty
            $err.Exception.GetType().FullName | Should -Be 'Nexus.Core.Store.NexusException'
            $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.DiskFull,Nexus.PowerShell.InvokeNexusMigrationCommand'
            Get-ChildItem -LiteralPath $disk -Filter '*.bak*' -Force | Should -BeNullOrEmpty
            Invoke-TestSql "sqlite:///$db" 'SELECT migration_id FROM nexus_schema_journal' | Should -Be '0001'
        }
    }
}

Describe 'Item 7 does not apply on postgres: -Backup writes no file there' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    It 'migrates and says that -Backup is for SQLite files' {
        $cs = New-TestDatabase -Dialect postgres
        try {
            Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Confirm:$false | Out-Null
            $folder = Join-Path $Work 'postgres'
            New-Item -ItemType Directory $folder | Out-Null
            Push-Location $folder
            try { $out = Invoke-NexusMigration -ConnectionString $cs -Backup -Confirm:$false -Verbose 4>&1 }
            finally { Pop-Location }
            @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Id | Should -Be @('0002', '0003', '0004')
            ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike '*-Backup applies to SQLite store files only*'
            Get-ChildItem -LiteralPath $folder -Force | Should -BeNullOrEmpty
        }
        finally { Remove-TestDatabase $cs }
    }
}
