# Pester 5 tests of the Archive-NexusRecords.ps1 runbook, each on a throwaway store:
#   - in-memory SQLite (sqlite:///:memory:), new for every test;
#   - the PostgreSQL at TEST_DATABASE_URL when it is set, where every test works in a tenant
#     of its own and purges it afterwards, so the shared database is left as it was.
# Run: Invoke-Pester ./examples   (with the Nexus module importable), or bash scripts/test.sh.
BeforeDiscovery {
    $stores = @(@{ Dialect = 'sqlite'; Url = 'sqlite:///:memory:' })
    if ($env:TEST_DATABASE_URL) { $stores += @{ Dialect = 'postgres'; Url = $env:TEST_DATABASE_URL } }
}

BeforeAll {
    # The module under test: the built one when the project's test command runs us, else the installed one.
    if ($env:NEXUS_MODULE_PATH) { Import-Module $env:NEXUS_MODULE_PATH } else { Import-Module Nexus }
    $runbook = Join-Path $PSScriptRoot 'Archive-NexusRecords.ps1'

    # Records that exist before $cut, a moment, then records made after it.
    function New-AgedRecords($Store, $Tenant, [string[]] $Old, [string[]] $New) {
        $Old | ForEach-Object { Set-NexusMetadata -Store $Store -Tenant $Tenant -Path $_ -Size 10 }
        Start-Sleep -Milliseconds 50
        $cut = [datetime]::UtcNow
        Start-Sleep -Milliseconds 50
        $New | ForEach-Object { Set-NexusMetadata -Store $Store -Tenant $Tenant -Path $_ -Size 10 }
        $cut
    }
}

Describe 'Archive-NexusRecords on <Dialect>' -ForEach $stores {
    BeforeEach {
        $store = Connect-NexusStore -ConnectionString $Url -NoDefault -WarningAction SilentlyContinue
        $null = Invoke-NexusMigration -Store $store -Confirm:$false
        $tenant = 'runbook-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
        $on = @{ Store = $store; Tenant = $tenant }
        # 30 days after $cut, the old records are 30 days old and the new ones a little less.
        $cut = New-AgedRecords $store $tenant -Old '/reports/q1.pdf', '/reports/q2.pdf', '/logs/old.log' -New '/reports/q3.pdf'
        $asOf = $cut.AddDays(30)
        Set-NexusAttribute @on -Path /reports/q1.pdf -Attributes @{ owner = 'finance' }
    }
    AfterEach {
        Get-NexusMetadata @on -Prefix / -IncludeDeleted | Remove-NexusMetadata @on -Purge -Confirm:$false
        Disconnect-NexusStore -Store $store
    }

    It 'moves records older than N days under /archive/, keeping their attributes' {
        $moved = & $runbook -OlderThanDays 30 -Prefix /reports/ -AsOf $asOf @on -Confirm:$false
        @($moved).Path | Should -Be '/archive/reports/q1.pdf', '/archive/reports/q2.pdf'
        (Get-NexusMetadata @on -Prefix /).Path |
            Should -Be '/archive/reports/q1.pdf', '/archive/reports/q2.pdf', '/logs/old.log', '/reports/q3.pdf'
        Get-NexusAttribute @on -Path /archive/reports/q1.pdf -Key owner | Should -Be 'finance'
    }

    It 'leaves records that changed within N days' {
        & $runbook -OlderThanDays 31 -AsOf $asOf @on -Confirm:$false | Should -BeNullOrEmpty
        (Get-NexusMetadata @on -Prefix /).Count | Should -Be 4
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-NexusMetadata @on -Prefix /
        & $runbook -OlderThanDays 30 -AsOf $asOf @on -WhatIf | Should -BeNullOrEmpty
        (Get-NexusMetadata @on -Prefix /).Path | Should -Be $before.Path
    }

    It 'does not archive the archive when run again' {
        $null = & $runbook -OlderThanDays 30 -AsOf $asOf @on -Confirm:$false
        & $runbook -OlderThanDays 30 -AsOf $asOf.AddDays(365) @on -Confirm:$false |
            ForEach-Object Path | Should -Be '/archive/reports/q3.pdf'
        (Get-NexusMetadata @on -Prefix /archive/archive/) | Should -BeNullOrEmpty
    }
}
