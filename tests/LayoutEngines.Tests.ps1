# Issue 13, the store engines on every layout: the store knows its layout (read when it is opened,
# refreshed by Convert-NexusStore and Get-NexusStore, shown by both views), the statements that
# know a tenant reach only that tenant's partition (proven by locking another tenant's partitions:
# a statement that fanned out would wait for them), and -Tenant * lists in path then tenant order
# with -First and -Skip in SQL, on a partitioned store and on Citus.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest

    # The module's own plan of a listing (MetadataStore.ExplainList), one line per plan row.
    function Get-ListPlan($Store, [string] $Tenant, [hashtable] $Attribute = @{}, [Nullable[long]] $Take = $null) {
        # The module loads Nexus.Core in its own context: reach its types through the store's assembly.
        $core = $Store.GetType().Assembly
        $query = $core.GetType('Nexus.Core.Store.FileQuery')::new()
        $query.Tenant = $Tenant
        $query.Take = $Take
        $pair = [System.Collections.Generic.KeyValuePair[string, string]]
        $query.Attributes = [System.Collections.Generic.KeyValuePair[string, string][]]@(
            foreach ($key in $Attribute.Keys) { $pair::new($key, ($Attribute[$key] | ConvertTo-Json -Compress)) })
        @($core.GetType('Nexus.Core.Engines.MetadataStore')::new($Store).ExplainList($query))
    }

    # Records under the same paths in several tenants, so that path order and tenant order differ.
    function Add-CrossTenantRecords {
        foreach ($tenant in 'tb', 'ta', 'tc') {
            foreach ($path in '/x/2', '/x/1', '/x/3') {
                Set-NexusMetadata -Tenant $tenant -Path $path -Size $path.Length
            }
        }
        Set-NexusMetadata -Tenant 'tc' -Path '/x/0' -Size 1
        Set-NexusMetadata -Tenant 'ta' -Path '/x/4' -Size 1
    }
    $script:CrossTenantOrder = @(
        'tc /x/0', 'ta /x/1', 'tb /x/1', 'tc /x/1', 'ta /x/2', 'tb /x/2', 'tc /x/2', 'ta /x/3', 'tb /x/3', 'tc /x/3', 'ta /x/4')
}

Describe 'The layout of a store on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs
        $expected = if ($Dialect -eq 'sqlite') { 'plain' } else { $env:NEXUS_TEST_LAYOUT ? $env:NEXUS_TEST_LAYOUT : 'plain' }
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'is read when the store is opened, and shown by Get-NexusStore (list and table)' {
        $store.Layout.Name | Should -Be $expected
        $opened = Connect-NexusStore -ConnectionString $cs -NoDefault
        try {
            $opened.Layout.Name | Should -Be $expected
            $opened.Layout.IsTenantKeyed | Should -Be ($expected -ne 'plain')
        }
        finally { $opened | Disconnect-NexusStore }
        $shown = $store.Layout.ToString()
        (Get-NexusStore | Format-List | Out-String) | Should -Match "Layout\s*:\s*$([regex]::Escape($shown))"
        (Get-NexusStore | Format-Table | Out-String -Width 200) | Should -Match ([regex]::Escape($shown))
        ($store.Layout | Format-Table | Out-String) | Should -Match "$expected\s+$($store.Layout.Partitions)"
    }

    It 'follows Convert-NexusStore, and Get-NexusStore sees a conversion made by another session' -Skip:($Dialect -ne 'postgres') {
        $other = Connect-NexusStore -ConnectionString $cs -NoDefault
        try {
            $result = Convert-NexusStore -Store $store -Layout partitioned -Partitions 3 -Confirm:$false
            $result.Layout | Should -Be 'partitioned'
            $store.Layout.ToString() | Should -Be 'partitioned (3)' -Because 'the converting session refreshes its store'
            $other.Layout.Name | Should -Be $expected -Because 'another open store keeps what it read until it is refreshed'
            (Get-NexusStore -Store $other).Layout.ToString() | Should -Be 'partitioned (3)'
            Set-NexusMetadata -Store $other -Path '/after/convert' -Size 1
            Set-NexusAttribute -Store $other -Path '/after/convert' -Attribute @{ k = 'v' }
            (Get-NexusAttribute -Store $other -Path '/after/convert').k | Should -Be 'v'
            # Converted back by the other store: this one writes with the statements it had, whose
            # tables are gone; the write finds out, re-reads the layout and runs again.
            $null = Convert-NexusStore -Store $other -Layout plain -Confirm:$false
            $other.Layout.Name | Should -Be 'plain'
            $store.Layout.ToString() | Should -Be 'partitioned (3)'
            Set-NexusAttribute -Path '/after/convert' -Attribute @{ k = 'w' } -Verbose 4>&1 | Out-String |
                Should -Match 'its layout is plain now'
            $store.Layout.Name | Should -Be 'plain'
            (Get-NexusAttribute -Path '/after/convert').k | Should -Be 'w'
            $store.RefreshLayout().Name | Should -Be 'plain'
        }
        finally { $other | Disconnect-NexusStore }
    }
}

Describe 'Tenant routing on a partitioned store' -Skip:(-not $env:TEST_DATABASE_URL -or $env:NEXUS_TEST_CITUS -eq '1') {
    BeforeAll {
        $cs = New-TestDatabase -Dialect postgres
        $setup = Connect-StoreForTest $cs -NoDefault
        if ($setup.Layout.Name -ne 'partitioned') { $null = Convert-NexusStore -Store $setup -Layout partitioned -Partitions 4 -Confirm:$false }
        # Two tenants in different partitions (hash placement is fixed, but which names land where is not ours to know).
        $candidates = 'ta', 'tb', 'tc', 'td', 'te', 'tf', 'tg', 'th'
        foreach ($tenant in $candidates) { Set-NexusMetadata -Store $setup -Tenant $tenant -Path '/probe' -Size 0 }
        $where = @{}
        foreach ($line in Invoke-TestSql $cs "SELECT tenant_id, tableoid::regclass FROM file_paths WHERE virtual_path = '/probe'") {
            $tenant, $partition = $line -split '\|'
            $where[$tenant] = $partition
        }
        $script:Mine = 'ta'
        $script:Theirs = @($candidates | Where-Object { $where[$_] -ne $where['ta'] })[0]
        $script:TheirPaths = $where[$Theirs]
        # Both tables hash the tenant with the same modulus: its rows have the same remainder in each.
        $script:TheirMetadata = $TheirPaths -replace '^file_paths', 'file_metadata'
        $TheirMetadata | Should -BeIn @(Invoke-TestSql $cs "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'file_metadata'::regclass")
        $setup | Disconnect-NexusStore
        foreach ($tenant in $Mine, $Theirs) {
            1..3 | ForEach-Object { Set-NexusMetadata -Store $cs -Tenant $tenant -Path "/r/$_" -Size $_ }
            Set-NexusAttribute -Store $cs -Tenant $tenant -Path '/r/1' -Attribute @{ colour = 'red'; size = 1 }
        }
        # A statement that has to wait for a lock gives up at once instead of hanging the suite.
        $null = Invoke-TestSql $cs "ALTER DATABASE $((($cs -split '/')[-1] -split '\?')[0]) SET lock_timeout = '1s'"
        $store = Connect-NexusStore -ConnectionString $cs

        $bin = (& pg_config --bindir).Trim()
        $script:Psql = Join-Path $bin 'psql'
        # Holds ACCESS EXCLUSIVE locks on tables in an open transaction of its own psql session, until
        # Stop-Locker: every statement that opens one of those tables waits for it (here: fails in 1 s).
        function Start-Locker([string[]] $Tables) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($Psql)
            foreach ($a in @($cs, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1')) { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardInput = $true
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            $psi.UseShellExecute = $false
            $process = [System.Diagnostics.Process]::Start($psi)
            $process.StandardInput.WriteLine("BEGIN; LOCK TABLE $($Tables -join ', ') IN ACCESS EXCLUSIVE MODE;")
            $process.StandardInput.Flush()
            $names = ($Tables | ForEach-Object { "'$_'" }) -join ','
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ([int](Invoke-TestSql $cs "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname IN ($names) AND l.mode = 'AccessExclusiveLock' AND l.granted") -lt $Tables.Count) {
                if ([DateTime]::UtcNow -gt $deadline -or $process.HasExited) { throw "the locks were not taken: $($process.StandardError.ReadToEnd())" }
                Start-Sleep -Milliseconds 100
            }
            $process
        }
        function Stop-Locker($Process) {
            $Process.StandardInput.WriteLine('ROLLBACK;')
            $Process.StandardInput.Close()
            if (-not $Process.WaitForExit(10000)) { $Process.Kill() }
        }
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'plans a tenant''s listing by attribute on one partition of each table' {
        $plan = (Get-ListPlan $store $Mine @{ colour = 'red' }) -join "`n"
        $plan | Should -Match 'file_metadata_p'
        @([regex]::Matches($plan, '\bon (file_paths_p\w+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique).Count | Should -Be 1 -Because $plan
        @([regex]::Matches($plan, '\bon (file_metadata_p\w+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique).Count | Should -Be 1 -Because $plan
        $all = (Get-ListPlan $store '*' @{ colour = 'red' }) -join "`n"
        @([regex]::Matches($all, '\bon (file_paths_p\w+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique).Count | Should -Be $store.Layout.Partitions -Because 'the control: -Tenant * reads every partition'
    }

    It 'reads, writes and lists one tenant''s attributes while another tenant''s attribute partition is locked' {
        $locker = Start-Locker @($TheirMetadata)
        try {
            # The control: a listing of every tenant has to open the locked partition, and gives up.
            { Get-NexusMetadata -Tenant * -Attribute @{ colour = 'red' } -ErrorAction Stop } | Should -Throw
            Set-NexusAttribute -Tenant $Mine -Path '/r/2' -Attribute @{ colour = 'blue'; size = 2 } -ErrorAction Stop
            Set-NexusAttribute -Tenant $Mine -Path '/r/1' -Attribute @{ colour = 'green' } -ErrorAction Stop
            (Get-NexusAttribute -Tenant $Mine -Path '/r/1' -ErrorAction Stop).colour | Should -Be 'green'
            Remove-NexusAttribute -Tenant $Mine -Path '/r/2' -Key size -ErrorAction Stop
            @(Get-NexusAttribute -Tenant $Mine -Path '/r/2' -ErrorAction Stop).size | Should -BeNullOrEmpty
            @(Get-NexusMetadata -Tenant $Mine -Attribute @{ colour = 'blue' } -ErrorAction Stop).Path | Should -Be '/r/2'
            @(Get-NexusMetadata -Tenant $Mine -Attribute @{ colour = @('green') } -ErrorAction Stop).Count | Should -Be 0
        }
        finally { Stop-Locker $locker }
        (Get-NexusAttribute -Tenant $Theirs -Path '/r/1').colour | Should -Be 'red'
    }

    It 'reads, writes, renames and removes one tenant''s records while another tenant''s record partition is locked' {
        $locker = Start-Locker @($TheirPaths)
        try {
            { Get-NexusMetadata -Tenant * -ErrorAction Stop } | Should -Throw
            Set-NexusMetadata -Tenant $Mine -Path '/r/9' -Size 9 -ErrorAction Stop
            @(Get-NexusMetadata -Tenant $Mine -Prefix '/r/' -ErrorAction Stop).Count | Should -Be 4
            (Get-NexusMetadata -Tenant $Mine -Path '/r/9' -ErrorAction Stop).Size | Should -Be 9
            (Rename-NexusMetadata -Tenant $Mine -Path '/r/9' -NewPath '/r/8' -PassThru -ErrorAction Stop).Path | Should -Be '/r/8'
            Set-NexusMetadata -Tenant $Mine -Path '/r/9' -Size 9 -ErrorAction Stop
            $null = Rename-NexusMetadata -Tenant $Mine -Path '/r/8' -NewPath '/r/9' -Force -ErrorAction Stop
            Remove-NexusMetadata -Tenant $Mine -Path '/r/9' -ErrorAction Stop
            Test-NexusMetadata -Tenant $Mine -Path '/r/9' -ErrorAction Stop | Should -BeFalse
        }
        finally { Stop-Locker $locker }
        @(Get-NexusMetadata -Tenant $Theirs -Prefix '/r/').Count | Should -Be 3
    }
}

Describe 'Listing every tenant (-Tenant *) on <Layout>' -ForEach @(
    @{ Layout = 'partitioned' }
    @{ Layout = 'distributed' }
) {
    BeforeAll {
        $script:Skip = $null
        if (-not $env:TEST_DATABASE_URL) { $script:Skip = 'no PostgreSQL (TEST_DATABASE_URL)'; return }
        if ($Layout -eq 'distributed') {
            $cluster = Start-TestCitusCluster
            if ($cluster.SkipReason) { $script:Skip = $cluster.SkipReason; return }
            $cs = New-TestDatabase -Dialect postgres -Citus
        }
        elseif ($env:NEXUS_TEST_CITUS -eq '1') { $script:Skip = 'the partitioned case runs on plain PostgreSQL, not in the distributed tier'; return }
        else { $cs = New-TestDatabase -Dialect postgres }
        $store = Connect-StoreForTest $cs
        if ($store.Layout.Name -ne $Layout) { $null = Convert-NexusStore -Layout $Layout -Partitions 4 -Confirm:$false }
        Add-CrossTenantRecords
        Set-NexusAttribute -Tenant 'tb' -Path '/x/2' -Attribute @{ colour = 'red' }
        Set-NexusAttribute -Tenant 'ta' -Path '/x/2' -Attribute @{ colour = @('red', 'green') }
        Set-NexusAttribute -Tenant 'tc' -Path '/x/1' -Attribute @{ colour = 'red' }
    }
    AfterAll {
        if ($Skip) { return }
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'lists in path order, then tenant order, with -First and -Skip' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $store.Layout.Name | Should -Be $Layout
        $shown = { process { "$($_.Tenant) $($_.Path)" } }
        @(Get-NexusMetadata -Tenant * | & $shown) | Should -Be $CrossTenantOrder
        @(Get-NexusMetadata -Tenant * -First 4 | & $shown) | Should -Be $CrossTenantOrder[0..3]
        @(Get-NexusMetadata -Tenant * -Skip 3 -First 4 | & $shown) | Should -Be $CrossTenantOrder[3..6]
        @(Get-NexusMetadata -Tenant * -Skip 9 | & $shown) | Should -Be $CrossTenantOrder[9..10]
        @(Get-NexusMetadata -Tenant * -Prefix '/x/2' -Attribute @{ colour = 'red' } | & $shown) | Should -Be 'ta /x/2', 'tb /x/2'
        @(Get-NexusMetadata -Tenant * -Attribute @{ colour = 'red' } -First 1 | & $shown) | Should -Be 'tc /x/1'
        $counted = @(Get-NexusMetadata -Tenant * -IncludeTotalCount -First 1)
        $counted[0].PSObject.BaseObject | Should -Be 11
        $counted.Count | Should -Be 2
    }

    It 'runs one statement, with -First as its LIMIT (on Citus: the engine''s fan-out to every shard)' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $plan = (Get-ListPlan $store '*' -Take 2) -join "`n"
        $plan | Should -Match '^Limit'
        if ($Layout -eq 'distributed') {
            $plan | Should -Match 'Custom Scan \(Citus Adaptive\)'
            $plan | Should -Match "Task Count: $($store.Layout.Partitions)"
            $plan | Should -Match '(?s)Task.*->\s+Limit' -Because 'the LIMIT goes to each shard too'
            $one = (Get-ListPlan $store 'tb' @{ colour = 'red' }) -join "`n"
            $one | Should -Match 'Task Count: 1' -Because "a tenant's listing by attribute is routed to one shard: $one"
        }
    }
}
