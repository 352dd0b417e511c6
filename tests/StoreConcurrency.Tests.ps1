# Issue 3: several pwsh processes writing one store at once — no "database is locked", no lost
# writes, exact reference counts — on SQLite (one file) and PostgreSQL.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
}

Describe 'Concurrent writers on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        $null = Invoke-NexusMigration -Store $store -Confirm:$false
        Disconnect-NexusStore -Store $store
    }
    AfterAll {
        Remove-TestDatabase -ConnectionString $cs
    }

    It '4 processes piping records and setting attributes at once lose nothing' {
        $children = 1..4 | ForEach-Object {
            Start-NexusChildProcess -ArgumentList $cs, $_ -ScriptBlock {
                param($cs, $n)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                # Small batches by pipeline and single writes interleave with the other processes.
                1..3000 | ForEach-Object { [pscustomobject]@{ Path = "/c/$n/$_"; Size = $_ } } | Set-NexusMetadata
                1..50 | ForEach-Object { Set-NexusMetadata -Path "/c/$n/single/$_"; Set-NexusAttribute -Path "/c/$n/single/$_" -Key w -Value $n }
                'done'
            }
        }
        $results = Wait-NexusChildProcess -Child $children
        $results.StdErr | Should -Not -Match 'locked'
        $results.ExitCode | Should -Be @(0, 0, 0, 0)
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_paths WHERE virtual_path LIKE '/c/%'") | Should -Be (4 * 3050)
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'w'") | Should -Be 200
    }

    It '4 processes x 250 Add-NexusChunk on one hash end with RefCount exactly 1000' {
        $children = 1..4 | ForEach-Object {
            Start-NexusChildProcess -ArgumentList $cs -ScriptBlock {
                param($cs)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                for ($i = 0; $i -lt 250; $i++) { Add-NexusChunk -ContentHash 'shared' -Size 10 -StoragePath '/blobs/shared' }
                'done'
            }
        }
        $results = Wait-NexusChildProcess -Child $children
        $results.StdErr | Should -Not -Match 'locked'
        $results.ExitCode | Should -Be @(0, 0, 0, 0)
        Invoke-TestSql $cs "SELECT count(*), max(ref_count) FROM content_chunks WHERE content_hash = 'shared'" | Should -Be '1|1000'
    }
}
