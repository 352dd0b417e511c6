# Issue #9 items 2, 3 and 11 (and #11's downgrade of an adopted store): a downgrade says what it
# destroys and needs confirming, a journaled down script runs only if its checksum holds, and no
# Nexus schema is created beside another program's tables.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null

    # A store at head with three records, an attribute and two chunks, one of them protected for 30 more days.
    function New-StoreWithData([string] $Dialect) {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
        '/a.txt', '/b.txt', '/c.txt' | ForEach-Object { Set-NexusMetadata -Store $store -Path $_ -Size 1 }
        Set-NexusAttribute -Store $store -Path '/a.txt' -Attributes @{ owner = 'ops' }
        Add-NexusChunk -Store $store -ContentHash 'h1' -Size 1 -StoragePath '/blobs/h1' -ProtectedUntil ([datetime]::UtcNow.AddDays(30))
        Add-NexusChunk -Store $store -ContentHash 'h2' -Size 1 -StoragePath '/blobs/h2'
        Disconnect-NexusStore -Store $store
        $cs
    }

    function Get-Count([string] $cs, [string] $sql) { [long](Invoke-TestSql $cs $sql) }
}

Describe 'Item 2: downgrades destroy data without a word, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach { $cs = New-StoreWithData $Dialect }
    AfterEach { Remove-TestDatabase -ConnectionString $cs }

    It 'refuses -Target base with -Confirm:$false but no -Force, naming rows per table, suggesting -Backup and -Force; nothing changes' {
        $err = { Invoke-NexusMigration -ConnectionString $cs -Target base -Confirm:$false } |
            Should -Throw -PassThru -ErrorId 'Nexus.MigrationFailed,Nexus.PowerShell.InvokeNexusMigrationCommand'
        $message = $err.Exception.Message
        $message | Should -BeLike '*0001_initial_schema (down) destroys content_chunks (2 rows), file_metadata (1 row), file_paths (3 rows)*'
        $message | Should -BeLike '*Nothing was changed*-Backup*-Force as well as -Confirm:$false*'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        Get-Count $cs 'SELECT count(*) FROM file_paths' | Should -Be 3
    }

    It '-Target 0001 names the non-null values of each column it drops (versions, chunk protection) and keeps them' {
        $err = { Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Confirm:$false } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*0002_versions_protection_and_lookups (down) destroys content_chunks.protected_until (1 value), file_paths.current_version (3 values)*'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        Get-Count $cs 'SELECT count(*) FROM content_chunks WHERE protected_until IS NOT NULL' | Should -Be 1
    }

    It 'prompts at the default $ConfirmPreference (high impact), even with -Force; a host that cannot prompt changes nothing' {
        $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
            param($cs)
            foreach ($force in $false, $true) {
                try { Invoke-NexusMigration -ConnectionString $cs -Target base -Force:$force | Out-Null; 'ran' }
                catch { "refused: $($_.Exception.GetType().Name): $($_.Exception.Message)" }
            }
        }
        $r.Output | Should -HaveCount 2
        $r.Output | ForEach-Object { $_ | Should -BeLike 'refused:*NonInteractive*' }
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        Get-Count $cs 'SELECT count(*) FROM file_paths' | Should -Be 3
    }

    It 'runs with -Force -Confirm:$false and reports what it destroyed' {
        $steps = @(Invoke-NexusMigration -ConnectionString $cs -Target base -Force -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue)
        $steps.Id | Should -Be @('0004', '0003', '0002', '0001')
        ($steps[3].Destroys | Where-Object Table -EQ 'file_paths').Count | Should -Be 3
        "$warned" | Should -BeLike '*file_paths (3 rows)*'
        Get-TableNames $cs | Should -Be (Get-BaseTableNames $Dialect)
    }

    It '-WhatIf shows what each down step would destroy, and changes nothing' {
        $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
            param($cs) Invoke-NexusMigration -ConnectionString $cs -Target base -WhatIf
        }
        $text = $r.StdOut -replace '\s+', ' '
        $text | Should -BeLike '*Migrate down: 0002_versions_protection_and_lookups — destroys content_chunks.protected_until (1 value), file_paths.current_version (3 values)*'
        $text | Should -BeLike '*Migrate down: 0001_initial_schema — destroys content_chunks (2 rows), file_metadata (1 row), file_paths (3 rows)*'
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }

    It 'needs no -Force for a down step that destroys nothing (empty tables)' {
        $empty = New-TestDatabase -Dialect $Dialect
        try {
            Invoke-NexusMigration -ConnectionString $empty -Confirm:$false | Out-Null
            $steps = @(Invoke-NexusMigration -ConnectionString $empty -Target base -Confirm:$false)
            $steps.Id | Should -Be @('0004', '0003', '0002', '0001')
            $steps.DestroysData | Should -Be @($false, $false, $false, $false)
            Get-TableNames $empty | Should -Be (Get-BaseTableNames $Dialect)
        }
        finally { Remove-TestDatabase -ConnectionString $empty }
    }
}

Describe 'Item 3: the stored down script runs unchecked, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach { $cs = New-StoreWithData $Dialect }
    AfterEach { Remove-TestDatabase -ConnectionString $cs }

    It 'Get-NexusMigration shows the down checksum: ok, then MISMATCH once the journaled down script is edited' {
        (Get-NexusMigration -ConnectionString $cs).DownChecksum | Should -Be @('Ok', 'Ok', 'Ok', 'Ok')
        Invoke-TestSql $cs "UPDATE nexus_schema_journal SET down_script = 'DELETE FROM file_paths' WHERE migration_id = '0002'" | Out-Null
        $rows = Get-NexusMigration -ConnectionString $cs
        $rows.DownChecksum | Should -Be @('Ok', 'Mismatch', 'Ok', 'Ok')
        ($rows | Format-Table | Out-String -Width 200) | Should -BeLike '*Applied*ok*MISMATCH*'
    }

    It 'refuses an edited down script without -Force, naming it, and deletes nothing' {
        Invoke-TestSql $cs "UPDATE nexus_schema_journal SET down_script = 'DELETE FROM file_metadata' WHERE migration_id = '0002'" | Out-Null
        { Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Confirm:$false } |
            Should -Throw -ExpectedMessage '*down script of 0002_versions_protection_and_lookups in the journal was changed*-Force*'
        Get-Count $cs 'SELECT count(*) FROM file_metadata' | Should -Be 1
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
    }

    It 'with -Force still counts what an edited down script deletes and asks (a host that cannot prompt changes nothing)' {
        Invoke-TestSql $cs "UPDATE nexus_schema_journal SET down_script = 'DELETE FROM content_chunks' WHERE migration_id = '0002'" | Out-Null
        $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock {
            param($cs)
            try { Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Force -WarningAction SilentlyContinue | Out-Null; 'ran' }
            catch { "refused: $($_.Exception.Message)" }
        }
        "$($r.Output)" | Should -BeLike 'refused:*NonInteractive*'
        Get-Count $cs 'SELECT count(*) FROM content_chunks' | Should -Be 2
    }

    It 'reports a malformed down checksum (''00'') as drift, not ArgumentOutOfRangeException, with and without -Force' {
        Invoke-TestSql $cs "UPDATE nexus_schema_journal SET down_checksum_sha256 = '00' WHERE migration_id = '0002'" | Out-Null
        (Get-NexusMigration -ConnectionString $cs).DownChecksum | Should -Be @('Ok', 'Malformed', 'Ok', 'Ok')
        { Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Confirm:$false } |
            Should -Throw -ExpectedMessage "*down script of 0002_versions_protection_and_lookups has a malformed checksum in the journal ('00', not a SHA-256)*"
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        $steps = @(Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Force -Confirm:$false -WarningAction SilentlyContinue)
        $steps.Id | Should -Be @('0004', '0003', '0002')
        Get-JournalIds $cs | Should -Be @('0001')
    }

    It 'reports a malformed up checksum (''00'') as drift, not ArgumentOutOfRangeException, with and without -Force' {
        Invoke-TestSql $cs "UPDATE nexus_schema_journal SET checksum_sha256 = '00' WHERE migration_id = '0001'" | Out-Null
        (Get-NexusMigration -ConnectionString $cs).ChecksumMatches | Should -Be @($false, $true, $true, $true)
        { Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Confirm:$false -Force:$false } |
            Should -Throw -ExpectedMessage "*0001_initial_schema has a malformed checksum in the journal ('00', not a SHA-256)*"
        $steps = @(Invoke-NexusMigration -ConnectionString $cs -Target 0001 -Force -Confirm:$false -WarningAction SilentlyContinue)
        $steps.Id | Should -Be @('0004', '0003', '0002')
    }
}

Describe 'Issue #11: downgrading an adopted store, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach {
        $cs = New-OriginalStore -Dialect $Dialect -Alembic
        Invoke-NexusMigration -ConnectionString $cs -Adopt -Confirm:$false | Out-Null
    }
    AfterEach { Remove-TestDatabase -ConnectionString $cs }

    It '-Target base names the adopted rows it would drop and refuses without -Force; with -Force -Confirm:$false it runs' {
        { Invoke-NexusMigration -ConnectionString $cs -Target base -Confirm:$false } |
            Should -Throw -ExpectedMessage '*0001_initial_schema (down) destroys content_chunks (1 row), file_metadata (2 rows), file_paths (2 rows)*-Backup*'
        Get-Count $cs 'SELECT count(*) FROM file_paths' | Should -Be 2
        Get-JournalIds $cs | Should -Be @('0001', '0002', '0003', '0004')
        (Invoke-NexusMigration -ConnectionString $cs -Target base -Force -Confirm:$false -WarningAction SilentlyContinue).Id | Should -Be @('0004', '0003', '0002', '0001')
        Get-TableNames $cs | Should -Not -Contain 'file_paths'
    }
}

Describe 'Item 11: a database with another program''s tables, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeEach {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-TestSql $cs "CREATE TABLE customers (id integer PRIMARY KEY, name text); INSERT INTO customers VALUES (1, 'Ada');" | Out-Null
    }
    AfterEach { Remove-TestDatabase -ConnectionString $cs }

    It 'Invoke-NexusMigration refuses to create a Nexus schema beside them, naming them, and goes on with -Force' {
        Get-NexusMigration -ConnectionString $cs -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        "$warned" | Should -BeLike '*not Nexus''s (customers)*-Force*'
        { Invoke-NexusMigration -ConnectionString $cs -Confirm:$false } |
            Should -Throw -ExpectedMessage '*holds tables that are not Nexus''s (customers)*-Force*' -ErrorId 'Nexus.SchemaMismatch,Nexus.PowerShell.InvokeNexusMigrationCommand'
        Get-TableNames $cs | Should -Be @('customers')
        Invoke-NexusMigration -ConnectionString $cs -Force -Confirm:$false | Out-Null
        Get-TableNames $cs | Should -Contain 'file_paths'
        Get-Count $cs 'SELECT count(*) FROM customers' | Should -Be 1
    }

    It 'does not count the original system''s alembic_version as foreign' {
        $known = New-TestDatabase -Dialect $Dialect
        try {
            Invoke-TestSql $known "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY);" | Out-Null
            (Invoke-NexusMigration -ConnectionString $known -Confirm:$false).Id | Should -Be @('0001', '0002', '0003', '0004')
        }
        finally { Remove-TestDatabase -ConnectionString $known }
    }
}

Describe 'Item 11: Connect-NexusStore -Path on a SQLite file with another program''s tables' {
    BeforeEach {
        $cs = New-TestDatabase -Dialect sqlite
        $path = $cs -replace '^sqlite:///', ''
        Invoke-TestSql $cs "CREATE TABLE customers (id integer PRIMARY KEY, name text); INSERT INTO customers VALUES (1, 'Ada');" | Out-Null
    }
    AfterEach { Remove-TestDatabase -ConnectionString $cs }

    It 'refuses, naming the tables, and leaves the file alone' {
        { Connect-NexusStore -Path $path -NoDefault } |
            Should -Throw -ExpectedMessage '*holds tables that are not Nexus''s (customers)*-Force*' -ErrorId 'Nexus.SchemaMismatch,Nexus.PowerShell.ConnectNexusStoreCommand'
        Get-TableNames $cs | Should -Be @('customers')
    }

    It 'creates the Nexus schema beside them with -Force' {
        $store = Connect-NexusStore -Path $path -NoDefault -Force
        try { $store.IsSchemaCurrent | Should -BeTrue }
        finally { Disconnect-NexusStore -Store $store }
        Get-TableNames $cs | Should -Be @('alembic_version', 'content_chunks', 'customers', 'file_metadata', 'file_paths', 'nexus_schema_journal')
    }
}
