# Issue 5: Backup-NexusStore takes a consistent, checked copy of a live SQLite store.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "backup-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null
}

Describe 'Backup-NexusStore on sqlite' -Tag 'sqlite' {
    BeforeAll {
        $cs = New-FixtureStore sqlite
        Add-BulkRows $cs 20000
        $store = Connect-NexusStore $cs -NoDefault
    }
    AfterAll {
        Disconnect-NexusStore -Store $store
        Remove-TestDatabase $cs
    }

    It 'copies the store while a writer keeps writing; the copy opens, checks ok and is consistent' {
        $db = $cs -replace '^sqlite:///', ''
        $stop = Join-Path $Work 'stop-writer'
        # Each transaction adds one file record and its two attributes; a consistent copy has
        # exactly two attributes per file record.
        $writer = Start-NexusChildProcess -NoModule -ArgumentList $db, $stop -ScriptBlock {
            param($db, $stop)
            $n = 0
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path $stop) -and [DateTime]::UtcNow -lt $deadline) {
                $sql = ".timeout 10000`nBEGIN IMMEDIATE;"
                for ($i = 0; $i -lt 20; $i++) {
                    $n++
                    $id = [guid]::NewGuid()
                    $sql += "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, size_bytes, created_at, updated_at) VALUES ('$id', 'live', '/live/$n', 'local', '/l', 1, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z');"
                    $sql += "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES ('$([guid]::NewGuid())', '$id', 'a', '1', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'), ('$([guid]::NewGuid())', '$id', 'b', '2', '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z');"
                }
                $sql += 'COMMIT;'
                $sql | & sqlite3 -batch -bail $db
                if ($LASTEXITCODE) { throw "writer failed at $n" }
            }
            "wrote $n"
        }
        try {
            # Wait until the writer is under way.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([int](Invoke-TestSql $cs ".timeout 10000`nSELECT count(*) FROM file_paths WHERE tenant_id = 'live'") -lt 100 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $backup = Join-Path $Work 'live-backup.db'
            $r = Backup-NexusStore -Store $store -Path $backup
            $live = [int](Invoke-TestSql $cs ".timeout 10000`nSELECT count(*) FROM file_paths WHERE tenant_id = 'live'")
        }
        finally {
            New-Item -ItemType File $stop | Out-Null
            $done = Wait-NexusChildProcess $writer
        }
        $done.ExitCode | Should -Be 0 -Because $done.StdErr
        $after = [int](Invoke-TestSql $cs ".timeout 10000`nSELECT count(*) FROM file_paths WHERE tenant_id = 'live'")

        $r.Path | Should -Be $backup
        $r.IntegrityCheck | Should -Be 'ok'
        $r.SchemaRevision | Should -Be '0004'
        $r.FileMetadata | Should -Be (2 * $r.FilePaths)
        $r.FilePaths | Should -BeGreaterThan 20000
        $after | Should -BeGreaterThan ($r.FilePaths - 20000) -Because 'the writer kept writing after the backup'
        # Opened independently of the module.
        $copy = "sqlite:///$backup"
        Invoke-TestSql $copy 'PRAGMA integrity_check' | Should -Be 'ok'
        Invoke-TestSql $copy 'PRAGMA foreign_key_check' | Should -BeNullOrEmpty
        $files = [int](Invoke-TestSql $copy 'SELECT count(*) FROM file_paths')
        $files | Should -Be $r.FilePaths
        Invoke-TestSql $copy 'SELECT count(*) FROM file_metadata' | Should -Be ([string](2 * $files))
        Invoke-TestSql $copy 'SELECT count(*) FROM file_paths f WHERE (SELECT count(*) FROM file_metadata m WHERE m.path_id = f.path_id) <> 2' | Should -Be '0'
        Get-ChildItem $Work -Filter 'live-backup.db.partial-*' | Should -BeNullOrEmpty
        # The backup is a store the module opens.
        $b = Connect-NexusStore -Path $backup -NoDefault
        $b.IsSchemaCurrent | Should -BeTrue
        Disconnect-NexusStore -Store $b
    }

    It 'refuses to overwrite a file unless -Force' {
        $path = Join-Path $Work 'exists.db'
        Set-Content $path 'not a backup'
        { Backup-NexusStore -Store $store -Path $path } | Should -Throw -ErrorId 'Nexus.AlreadyExists,Nexus.PowerShell.BackupNexusStoreCommand'
        Get-Content $path | Should -Be 'not a backup'
        (Backup-NexusStore -Store $store -Path $path -Force).IntegrityCheck | Should -Be 'ok'
        Invoke-TestSql "sqlite:///$path" 'SELECT count(*) FROM content_chunks' | Should -Be '5000'
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $Work 'whatif.db'
        Backup-NexusStore -Store $store -Path $path -WhatIf | Should -BeNullOrEmpty
        Test-Path $path | Should -BeFalse
    }
}

Describe 'Backup-NexusStore on postgres' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    It 'refuses with a message that points to pg_dump and Export-NexusData' {
        $cs = New-FixtureStore postgres
        $store = Connect-NexusStore $cs -NoDefault
        try {
            $err = $null
            try { Backup-NexusStore -Store $store -Path (Join-Path $Work 'pg.db') } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidArgument,Nexus.PowerShell.BackupNexusStoreCommand'
            $err.Exception.Message | Should -Match 'pg_dump'
            $err.Exception.Message | Should -Match 'Export-NexusData'
            Test-Path (Join-Path $Work 'pg.db') | Should -BeFalse
        }
        finally {
            Disconnect-NexusStore -Store $store
            Remove-TestDatabase $cs
        }
    }
}
