# Issue 14 (attribute writes in bulk, attribute queries at scale): piped Set-/Remove-NexusAttribute
# are written in batched transactions with per-item errors, pipeline order and last-write-wins;
# objects with an Attributes dictionary bind by property name; Get-NexusMetadata -Attribute
# uses an index and answers as jsonb containment does, on SQLite and PostgreSQL.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
}

Describe 'Attribute writes in bulk on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        1..12 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/$_" } } | Set-NexusMetadata
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'stores a piped batch in few transactions (one per batch, not per item)' {
        1..12 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/$_"; Key = 'n'; Value = $_ } } | Set-NexusAttribute
        (1..12 | ForEach-Object { Get-NexusAttribute -Path "/bulk/$_" -Key 'n' }) | Should -Be (1..12)
        # One transaction stamps every row of its batch with the same time; one per item would not.
        [int](Invoke-TestSql $cs "SELECT count(DISTINCT updated_at) FROM file_metadata WHERE key = 'n'") | Should -Be 1
    }

    It 'keeps pipeline order for -PassThru, and each output shows the record right after its own item' {
        $out = @(
            [pscustomobject]@{ Path = '/bulk/2'; Key = 'p'; Value = 'first' }
            [pscustomobject]@{ Path = '/bulk/1'; Key = 'p'; Value = 'one' }
            [pscustomobject]@{ Path = '/bulk/2'; Key = 'p'; Value = 'second' }
        ) | Set-NexusAttribute -PassThru
        $out.Count | Should -Be 3
        $out[0].p | Should -Be 'first'
        $out[1].p | Should -Be 'one'
        $out[2].p | Should -Be 'second'
    }

    It 'lets the last write win for a (path, key) repeated within one batch' {
        1..5 | ForEach-Object { [pscustomobject]@{ Path = '/bulk/3'; Key = 'last'; Value = $_ } } | Set-NexusAttribute
        Get-NexusAttribute -Path '/bulk/3' -Key 'last' | Should -Be 5
        @{ a = 1 }, @{ a = 2 } | ForEach-Object { [pscustomobject]@{ Path = '/bulk/3'; Attributes = $_ } } | Set-NexusAttribute
        Get-NexusAttribute -Path '/bulk/3' -Key 'a' | Should -Be 2
    }

    It 'reports a bad key, a bad value and a missing record as errors for those items and stores the rest' {
        $items = @(
            [pscustomobject]@{ Path = '/bulk/4'; Key = 'ok1'; Value = 1 }
            [pscustomobject]@{ Path = '/bulk/4'; Key = ''; Value = 2 }
            [pscustomobject]@{ Path = '/bulk/4'; Key = 'badvalue'; Value = [double]::NaN }
            [pscustomobject]@{ Path = '/bulk/missing'; Key = 'k'; Value = 3 }
            [pscustomobject]@{ Path = '/bulk/5'; Key = 'ok2'; Value = 4 }
        )
        $out = $items | Set-NexusAttribute -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 3
        $err[2].Exception.Message | Should -Match '/bulk/missing'
        $err[2].TargetObject | Should -Be '/bulk/missing'
        $err[2].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $out.Count | Should -Be 2
        Get-NexusAttribute -Path '/bulk/4' -Key 'ok1' | Should -Be 1
        Get-NexusAttribute -Path '/bulk/5' -Key 'ok2' | Should -Be 4
        (Get-NexusAttribute -Path '/bulk/4').PSObject.Properties.Name | Should -Not -Contain 'badvalue'
    }

    It 'reports the missing record in pipeline order between the outputs of the items around it' {
        $events = @(
            [pscustomobject]@{ Path = '/bulk/6'; Key = 'o'; Value = 1 }
            [pscustomobject]@{ Path = '/bulk/nothere'; Key = 'o'; Value = 2 }
            [pscustomobject]@{ Path = '/bulk/7'; Key = 'o'; Value = 3 }
        ) | Set-NexusAttribute -PassThru -ErrorAction Continue 2>&1
        $events.Count | Should -Be 3
        $events[0].o | Should -Be 1
        $events[1] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $events[2].o | Should -Be 3
    }

    It 'changes nothing under -WhatIf and asks per item' {
        $before = Get-NexusAttribute -Path '/bulk/8'
        1..3 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/8"; Key = "w$_"; Value = $_ } } | Set-NexusAttribute -WhatIf
        (Get-NexusAttribute -Path '/bulk/8').PSObject.Properties.Name | Should -Not -Contain 'w1'
        $null -eq $before -or @($before.PSObject.Properties).Count -eq 0 | Should -BeTrue
    }

    It 'binds piped objects with an Attributes dictionary by property name' {
        @(
            [pscustomobject]@{ Path = '/bulk/9'; Attributes = @{ owner = 'ops'; size = 3 } }
            [pscustomobject]@{ Path = '/bulk/10'; Attributes = [ordered]@{ owner = 'dev' } }
        ) | Set-NexusAttribute -ErrorVariable err
        $err.Count | Should -Be 0
        Get-NexusAttribute -Path '/bulk/9' -Key 'owner' | Should -Be 'ops'
        Get-NexusAttribute -Path '/bulk/9' -Key 'size' | Should -Be 3
        Get-NexusAttribute -Path '/bulk/10' -Key 'owner' | Should -Be 'dev'
    }

    It 'keeps an Attributes item all-or-none when one of its values is bad' {
        [pscustomobject]@{ Path = '/bulk/11'; Attributes = @{ good = 1; bad = [double]::PositiveInfinity } } |
            Set-NexusAttribute -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        (Get-NexusAttribute -Path '/bulk/11').PSObject.Properties.Name | Should -Not -Contain 'good'
    }

    It 'removes piped attributes in batches with per-item errors for missing keys and records' {
        1..4 | ForEach-Object { [pscustomobject]@{ Path = "/bulk/12"; Key = "r$_"; Value = $_ } } | Set-NexusAttribute
        $null = @(
            [pscustomobject]@{ Path = '/bulk/12'; Key = 'r1' }
            [pscustomobject]@{ Path = '/bulk/12'; Key = 'r1' }
            [pscustomobject]@{ Path = '/bulk/none'; Key = 'r2' }
            [pscustomobject]@{ Path = '/bulk/12'; Key = @('r2', 'r3') }
        ) | Remove-NexusAttribute -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 2
        $err[0].TargetObject | Should -Be 'r1'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[1].TargetObject | Should -Be '/bulk/none'
        (Get-NexusAttribute -Path '/bulk/12').PSObject.Properties.Name | Should -Be @('n', 'r4')
    }

    It 'leaves attributes alone under Remove-NexusAttribute -WhatIf' {
        Set-NexusAttribute -Path '/bulk/1' -Key 'keep' -Value 1
        [pscustomobject]@{ Path = '/bulk/1'; Key = 'keep' } | Remove-NexusAttribute -WhatIf
        Get-NexusAttribute -Path '/bulk/1' -Key 'keep' | Should -Be 1
    }

    It 'stores a bulk pipeline larger than one batch' {
        $paths = 1..6000 | ForEach-Object { "/many/$_" }
        $paths | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata
        $paths | ForEach-Object { [pscustomobject]@{ Path = $_; Key = 'i'; Value = 1 } } | Set-NexusAttribute
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'i'") | Should -Be 6000
        $paths | ForEach-Object { [pscustomobject]@{ Path = $_; Key = 'i' } } | Remove-NexusAttribute
        [int](Invoke-TestSql $cs "SELECT count(*) FROM file_metadata WHERE key = 'i'") | Should -Be 0
    }
}
