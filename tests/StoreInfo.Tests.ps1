# Get-NexusStoreInfo on both dialects: sizes, rows per table (estimated on PostgreSQL unless
# -Exact), tenants, schema revision and layout, journal mode, pool and server version.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
}

Describe 'Get-NexusStoreInfo on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
        foreach ($name in 'a', 'b', 'c') {
            Set-NexusMetadata -Store $store -Path "/$name.txt" -PhysicalPath "/blobs/$name" -Size 3
        }
        Set-NexusMetadata -Store $store -Path /x.txt -PhysicalPath /blobs/x -Tenant acme
        Remove-NexusMetadata -Store $store -Path /c.txt -Confirm:$false
        Set-NexusAttribute -Store $store -Path /a.txt -Attributes @{ owner = 'ops' }
        Add-NexusChunk -Store $store -ContentHash h1 -Size 3 -StoragePath /chunks/h1 | Out-Null
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'reports the schema, the layout, the server and the tenants' {
        $info = Get-NexusStoreInfo -Store $store
        $info.GetType().FullName | Should -Be 'Nexus.Core.Health.StoreInfo'   # from the module's own load context
        $info.Provider | Should -Be $store.Provider
        $info.Database | Should -Be $store.Database
        $info.SchemaRevision | Should -Be '0004'
        $info.HeadRevision | Should -Be '0004'
        $info.Layout | Should -Be 'Nexus'
        $info.ServerVersion | Should -Be $store.ServerVersion
        $info.ReplicaLag | Should -BeNullOrEmpty
        @($info.Tenants | ForEach-Object { "$($_.Tenant) $($_.Records) $($_.Deleted)" }) |
            Should -Be @('00000000-0000-0000-0000-000000000000 2 1', 'acme 1 0')
    }

    It 'counts the rows of every table exactly with -Exact' {
        $info = Get-NexusStoreInfo -Store $store -Exact
        @($info.Tables | ForEach-Object { "$($_.Name) $($_.Rows) $($_.RowsEstimated)" }) |
            Should -Be @('alembic_version 1 False', 'content_chunks 1 False', 'file_metadata 1 False', 'file_paths 4 False', 'nexus_schema_journal 4 False')
    }

    It 'reports the file, WAL and journal mode (SQLite)' -Skip:($Dialect -ne 'sqlite') {
        $path = $cs -replace '^sqlite:///', ''
        $info = Get-NexusStoreInfo -Store $store
        $info.JournalMode | Should -Be 'wal'
        $info.FileSize | Should -Be (Get-Item -LiteralPath $path).Length
        $info.WalSize | Should -Be $(if (Test-Path -LiteralPath "$path-wal") { (Get-Item -LiteralPath "$path-wal").Length } else { 0 })
        $info.WalSize | Should -BeGreaterThan 0
        $info.DatabaseSize | Should -BeGreaterThan 0
        $info.PoolInUse | Should -BeNullOrEmpty
        $info.MaxPoolSize | Should -BeNullOrEmpty
    }

    It 'reports database and table sizes, estimated rows and the pool (PostgreSQL)' -Skip:($Dialect -ne 'postgres') {
        $info = Get-NexusStoreInfo -Store $store
        $info.DatabaseSize | Should -BeGreaterThan 0
        $info.JournalMode | Should -BeNullOrEmpty
        $info.FileSize | Should -BeNullOrEmpty
        foreach ($table in $info.Tables) { $table.SizeBytes | Should -BeGreaterThan 0 }
        # Never analyzed: counted; analyzed: the planner's estimate, marked as such.
        ($info.Tables | Where-Object Name -eq 'file_paths').Rows | Should -Be 4
        Invoke-TestSql $cs 'ANALYZE' | Out-Null
        $paths = (Get-NexusStoreInfo -Store $store).Tables | Where-Object Name -eq 'file_paths'
        $paths.RowsEstimated | Should -BeTrue
        $paths.Rows | Should -Be 4
        $info.PoolInUse | Should -BeGreaterOrEqual 1   # the connection that reads the information
        $info.PoolIdle | Should -Not -BeNullOrEmpty
        $info.MaxPoolSize | Should -Be $store.MaxPoolSize
    }

    It 'uses the runspace default store and shows a table view of the tables' {
        $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
            param($cs)
            Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue | Out-Null
            (Get-NexusStoreInfo).Tables | Format-Table | Out-String -Width 120
        }
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.StdOut | Should -Match 'Name\s+Rows\s+Estimated\s+SizeBytes'
        $r.StdOut | Should -Match 'file_paths\s+4'
    }
}

Describe 'Get-NexusStoreInfo on stores that are not at a Nexus schema (PostgreSQL)' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeEach { $cs = New-TestDatabase -Dialect postgres }
    AfterEach {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'says Empty for a database without tables' {
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        $info = Get-NexusStoreInfo -Store $store
        $info.Layout | Should -Be 'Empty'
        $info.SchemaRevision | Should -BeNullOrEmpty
        $info.Tables | Should -BeNullOrEmpty
    }

    It 'says Original for the original Nexus tables without a journal' {
        Invoke-TestSql $cs 'CREATE TABLE file_paths (path_id text PRIMARY KEY, tenant_id text, virtual_path text, deleted_at timestamp)' | Out-Null
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        (Get-NexusStoreInfo -Store $store).Layout | Should -Be 'Original'
    }
}
