# Issue 13, placement: a tenant's rows and a tenant's listing stay in one place on the keyed layouts.
# - partitioned (one PostgreSQL): the plan of a tenant's prefix listing scans one partition of
#   file_paths, the one that holds the tenant's rows;
# - distributed (a Citus coordinator and two workers, scripts/lib/citus.sh): each tenant's rows of
#   file_paths and file_metadata are in one shard, on one worker, and a tenant's listing is routed
#   to that shard (the plan has one task, on that worker).
# The plan is the module's own: MetadataStore.ExplainList runs EXPLAIN on the exact statement
# that Get-NexusMetadata -Path '<prefix>*' runs (same WHERE, order, paging, parameters).
# Each block has a control (the same query across every tenant touches many partitions / shards),
# so that a check that could not fail would show.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest

    $script:Tenants = 'tenant-a', 'tenant-b', 'tenant-c', 'tenant-d', 'tenant-e', 'tenant-f'

    # 12 records with one attribute each per tenant, written through the module.
    function Add-TenantRecords($Store) {
        foreach ($tenant in $Tenants) {
            1..12 | ForEach-Object { [pscustomobject]@{ Path = "/docs/$tenant/$_.txt" } } | Set-NexusMetadata -Store $Store -Tenant $tenant
            1..12 | ForEach-Object { [pscustomobject]@{ Path = "/docs/$tenant/$_.txt"; Key = 'n'; Value = $_ } } |
                Set-NexusAttribute -Store $Store -Tenant $tenant
        }
    }

    # The database's plan for the module's listing of a prefix in one tenant ('*': every tenant).
    function Get-ListingPlan($Store, [string] $Tenant, [string] $Prefix = '/docs/') {
        # The module loads Nexus.Core in its own context: reach its types through the store's assembly.
        $core = $Store.GetType().Assembly
        $query = $core.GetType('Nexus.Core.Store.FileQuery')::new()
        $query.Tenant = $Tenant
        $query.Prefix = $Prefix
        @($core.GetType('Nexus.Core.Engines.MetadataStore')::new($Store).ExplainList($query))
    }
}

Describe 'Placement on the partitioned layout' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect postgres
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        $null = Invoke-NexusMigration -Store $store -Confirm:$false
        $null = Convert-NexusStore -Store $store -Layout partitioned -Partitions 8 -Confirm:$false
        Add-TenantRecords $store
        # Where each tenant's rows are, from the rows themselves (tableoid: the partition).
        $script:PartitionOf = @{}
        foreach ($row in Invoke-TestSql $cs 'SELECT DISTINCT tenant_id, tableoid::regclass FROM file_paths') {
            $tenant, $partition = $row -split '\|'
            $PartitionOf[$tenant] += @($partition)
        }
    }
    AfterAll {
        if ($store) { Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue }
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'keeps each tenant''s rows in one partition, and the tenants in more than one' {
        $PartitionOf.Keys | Sort-Object | Should -Be ($Tenants | Sort-Object)
        foreach ($tenant in $Tenants) { @($PartitionOf[$tenant]).Count | Should -Be 1 -Because "$tenant's rows" }
        @($PartitionOf.Values | ForEach-Object { $_ } | Sort-Object -Unique).Count | Should -BeGreaterThan 1
    }

    It 'plans <_>''s prefix listing on its own partition only' -ForEach 'tenant-a', 'tenant-d' {
        $plan = Get-ListingPlan $store $_
        $scanned = @($plan | Select-String -Pattern '\bon (file_paths_p\d+)' -AllMatches |
            ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        $scanned | Should -Be @($PartitionOf[$_]) -Because ($plan -join "`n")
        (Get-NexusMetadata -Store $store -Tenant $_ -Path '/docs/*' | Measure-Object).Count | Should -Be 12
    }

    It 'plans the same listing across every tenant on every partition (the control)' {
        $plan = Get-ListingPlan $store '*'
        $scanned = @($plan | Select-String -Pattern '\bon (file_paths_p\d+)' -AllMatches |
            ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        $scanned.Count | Should -Be 8 -Because ($plan -join "`n")
    }
}

Describe 'Placement on the distributed layout (Citus)' -Tag 'postgres', 'citus' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $cluster = Start-TestCitusCluster
        $script:SkipReason = $cluster.SkipReason
        if ($SkipReason) { return }
        $cs = New-TestDatabase -Dialect postgres -Citus
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        $null = Invoke-NexusMigration -Store $store -Confirm:$false
        $null = Convert-NexusStore -Store $store -Layout distributed -Partitions 8 -Confirm:$false
        Add-TenantRecords $store
        $script:WorkerUrls = Get-TestCitusWorkerUrl -ConnectionString $cs
        # The shard of a tenant's rows in a table, and the port of the worker that holds it.
        function Get-ShardPlacement([string] $Table, [string] $Tenant) {
            $row = Invoke-TestSql $cs "SELECT s.shardid, s.shard_name, s.nodeport FROM citus_shards s WHERE s.shardid = get_shard_id_for_distribution_column('$Table', '$Tenant')"
            $id, $name, $port = "$row" -split '\|'
            [pscustomobject]@{ ShardId = [long]$id; Name = $name; Port = [int]$port }
        }
        # A tenant's rows in one table, counted on each worker in every shard of that table there.
        function Get-RowsPerWorker([string] $Table, [string] $Tenant) {
            $counts = [ordered]@{}
            foreach ($url in $WorkerUrls) {
                $port = [int]([uri]($url -replace '^postgresql', 'http')).Port
                $shards = @(Invoke-TestSql $cs "SELECT shard_name FROM citus_shards WHERE table_name = '$Table'::regclass AND nodeport = $port")
                $sql = ($shards | ForEach-Object { "SELECT count(*) FROM $_ WHERE tenant_id = '$Tenant'" }) -join ' UNION ALL '
                $counts["$port"] = ($shards ? (@(Invoke-TestSql $url "SELECT coalesce(sum(count), 0) FROM ($sql) AS c") | Select-Object -First 1) : 0) -as [int]
            }
            $counts
        }
    }
    AfterAll {
        if ($store) { Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue }
        if ($cs) { Remove-TestDatabase -ConnectionString $cs }
    }

    It 'distributes file_paths and file_metadata over both workers, colocated' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        Invoke-TestSql $cs "SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'file_paths'::regclass" | Should -Be '2'
        Invoke-TestSql $cs "SELECT count(DISTINCT colocation_id) FROM citus_tables WHERE table_name IN ('file_paths'::regclass, 'file_metadata'::regclass)" | Should -Be '1'
    }

    It 'keeps <_>''s rows (records and attributes) in one shard on one worker' -ForEach 'tenant-a', 'tenant-b', 'tenant-c' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $tenant = $_
        $paths = Get-ShardPlacement 'file_paths' $tenant
        $metadata = Get-ShardPlacement 'file_metadata' $tenant
        $metadata.Port | Should -Be $paths.Port -Because 'file_metadata is colocated with file_paths'
        foreach ($table in 'file_paths', 'file_metadata') {
            $counts = Get-RowsPerWorker $table $tenant
            $counts["$($paths.Port)"] | Should -Be 12 -Because "$table of $tenant on its shard's worker ($($paths.Port))"
            ($counts.Values | Measure-Object -Sum).Sum | Should -Be 12 -Because "no $table row of $tenant elsewhere"
        }
        # The shard that holds them is the one Citus computes for the tenant.
        @(Invoke-TestSql ($WorkerUrls | Where-Object { $_ -match ":$($paths.Port)/" }) "SELECT count(*) FROM $($paths.Name) WHERE tenant_id = '$tenant'") | Should -Be '12'
    }

    It 'puts the tenants on both workers' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        @($Tenants | ForEach-Object { (Get-ShardPlacement 'file_paths' $_).Port } | Sort-Object -Unique).Count | Should -Be 2
    }

    It 'routes <_>''s prefix listing to its one shard' -ForEach 'tenant-a', 'tenant-e' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $plan = Get-ListingPlan $store $_
        $text = $plan -join "`n"
        $text | Should -Match 'Task Count: 1\b' -Because $text
        $placement = Get-ShardPlacement 'file_paths' $_
        $text | Should -Match "port=$($placement.Port)\b"
        $text | Should -Match "\bfile_paths_$($placement.ShardId)\b"
        (Get-NexusMetadata -Store $store -Tenant $_ -Path '/docs/*' | Measure-Object).Count | Should -Be 12
    }

    It 'sends the same listing across every tenant to every shard (the control)' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $text = (Get-ListingPlan $store '*') -join "`n"
        $text | Should -Match 'Task Count: 8\b' -Because $text
    }
}
