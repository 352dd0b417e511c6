# Issue 3: content chunks — Add/Remove/Get/Clear-NexusChunk on SQLite and PostgreSQL.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
    function Get-RefCount([string] $Hash) {
        Invoke-TestSql $cs "SELECT ref_count FROM content_chunks WHERE content_hash = '$Hash'"
    }
}

Describe 'Content chunks on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'adds a chunk with one reference, and one more for the same hash' {
        $c = Add-NexusChunk -ContentHash 'h1' -Size 100 -StoragePath '/blobs/h1' -PassThru
        $c.GetType().FullName | Should -Be 'Nexus.Core.Store.ChunkRecord'
        $c.RefCount | Should -Be 1
        $c.Size | Should -Be 100
        $c.StoragePath | Should -Be '/blobs/h1'
        $c.CreatedAt.Kind | Should -Be 'Utc'
        (Add-NexusChunk -ContentHash 'h1' -Size 100 -StoragePath '/elsewhere' -PassThru).RefCount | Should -Be 2
        Get-RefCount 'h1' | Should -Be '2'
        (Get-NexusChunk -ContentHash 'h1').StoragePath | Should -Be '/blobs/h1'
    }

    It 'adds piped chunks in one go (same hash several times counts each)' {
        1..5 | ForEach-Object { [pscustomobject]@{ ContentHash = 'h2'; Size = 5; StoragePath = '/blobs/h2' } } | Add-NexusChunk
        Get-RefCount 'h2' | Should -Be '5'
    }

    It 'releases one reference at a time, never below zero' {
        Remove-NexusChunk -ContentHash 'h1'
        Get-RefCount 'h1' | Should -Be '1'
        (Remove-NexusChunk -ContentHash 'h1', 'h1', 'h1' -PassThru).RefCount | Should -Be @(0, 0, 0)
        Get-RefCount 'h1' | Should -Be '0'
    }

    It 'an unknown hash is ObjectNotFound for Remove and Get' {
        Remove-NexusChunk -ContentHash 'nope' -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e1[0].FullyQualifiedErrorId | Should -Be 'Nexus.NotFound,Nexus.PowerShell.RemoveNexusChunkCommand'
        Get-NexusChunk -ContentHash 'nope' -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a bad chunk with InvalidArgument: <Name>' -ForEach @(
        @{ Name = 'empty hash'; Hash = ''; Size = 1; Storage = '/b' }
        @{ Name = 'hash over 64'; Hash = ('h' * 65); Size = 1; Storage = '/b' }
        @{ Name = 'negative size'; Hash = 'neg'; Size = -1; Storage = '/b' }
        @{ Name = 'no storage path'; Hash = 'nosp'; Size = 1; Storage = '' }
    ) {
        Add-NexusChunk -ContentHash $Hash -Size $Size -StoragePath $Storage -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        [int](Invoke-TestSql $cs "SELECT count(*) FROM content_chunks WHERE content_hash IN ('neg', 'nosp', '')") | Should -Be 0
    }

    It 'shows bulk progress for piped chunk references added and released, and completes it' {
        $ps = New-NexusRunspacePipeline -ArgumentList $cs -ScriptBlock {
            param($cs)
            $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
            1..4500 | ForEach-Object { [pscustomobject]@{ ContentHash = "bulk-$_"; Size = 1; StoragePath = "/b/$_" } } | Add-NexusChunk
            1..4500 | ForEach-Object { "bulk-$_" } | Remove-NexusChunk
        }
        try {
            $null = $ps.Invoke()
            $ps.HadErrors | Should -BeFalse
            foreach ($activity in 'Adding Nexus chunk references', 'Releasing Nexus chunk references') {
                $bar = @($ps.Streams.Progress | Where-Object Activity -EQ $activity)
                @($bar | Where-Object StatusDescription -Match '^4[,.]?500 so far$').Count | Should -Be 1 -Because $activity
                $bar[-1].RecordType | Should -Be 'Completed'
            }
            Get-RefCount 'bulk-4500' | Should -Be '0'
        }
        finally {
            $ps.Dispose()
            # The tests after this one count every chunk of the store.
            $null = Invoke-TestSql $cs "DELETE FROM content_chunks WHERE content_hash LIKE 'bulk-%'"
        }
    }

    It 'lists all chunks in hash order, or only unreferenced ones' {
        (Get-NexusChunk).ContentHash | Should -Be @('h1', 'h2')
        (Get-NexusChunk -Unreferenced).ContentHash | Should -Be @('h1')
    }

    It 'Clear-NexusChunk -WhatIf deletes nothing' {
        Clear-NexusChunk -WhatIf
        Get-RefCount 'h1' | Should -Be '0'
    }

    It 'Clear-NexusChunk deletes unreferenced, unprotected chunks and emits them' {
        Add-NexusChunk -ContentHash 'kept' -Size 1 -StoragePath '/blobs/kept' -ProtectedUntil ([datetime]::UtcNow.AddHours(1))
        Add-NexusChunk -ContentHash 'expired' -Size 1 -StoragePath '/blobs/expired' -ProtectedUntil ([datetime]::UtcNow.AddHours(-1))
        Remove-NexusChunk -ContentHash 'kept', 'expired'
        $deleted = Clear-NexusChunk -Confirm:$false
        ($deleted.ContentHash | Sort-Object) | Should -Be @('expired', 'h1')
        ($deleted | Where-Object ContentHash -eq 'h1').StoragePath | Should -Be '/blobs/h1'
        (Get-NexusChunk).ContentHash | Should -Be @('h2', 'kept')
        (Get-NexusChunk -ContentHash 'kept').ProtectedUntil | Should -BeGreaterThan ([datetime]::UtcNow)
    }

    It 'a later protection time extends, an earlier one never shortens' {
        $until = (Get-NexusChunk -ContentHash 'kept').ProtectedUntil
        Add-NexusChunk -ContentHash 'kept' -Size 1 -StoragePath '/b' -ProtectedUntil ([datetime]::UtcNow.AddMinutes(1))
        (Get-NexusChunk -ContentHash 'kept').ProtectedUntil | Should -Be $until
        Add-NexusChunk -ContentHash 'kept' -Size 1 -StoragePath '/b' -ProtectedUntil $until.AddDays(1)
        (Get-NexusChunk -ContentHash 'kept').ProtectedUntil | Should -Be $until.AddDays(1)
    }

    It 'treats quotes and LIKE characters in hashes as ordinary' {
        Add-NexusChunk -ContentHash "a'b%_" -Size 1 -StoragePath '/b'
        (Get-NexusChunk -ContentHash "a'b%_").RefCount | Should -Be 1
        Get-NexusChunk -ContentHash 'a%' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
