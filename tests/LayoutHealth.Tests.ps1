# Test-NexusStore and Get-NexusStoreInfo on the keyed layouts of issue 13: a healthy partitioned
# (one PostgreSQL) or distributed (Citus coordinator and two workers) store passes every check,
# and the same faults as on a plain store still fail the check they belong to. Get-NexusStoreInfo
# reads a table's rows and bytes from its partitions or shards, not from the empty parent/shell.

BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest

    # Three records (two with attributes) in two tenants, and the chunks their hashes name.
    function Add-HealthRecords($Store) {
        foreach ($name in 'a', 'b', 'c') {
            $tenant = if ($name -eq 'c') { 'tenant-2' } else { 'tenant-1' }
            Set-NexusMetadata -Store $Store -Tenant $tenant -Path "/$name.txt" -PhysicalPath "/blobs/$name" -Size 3 -ETag "hash-$name"
            Add-NexusChunk -Store $Store -ContentHash "hash-$name" -Size 3 -StoragePath "/chunks/$name" | Out-Null
        }
        Set-NexusAttribute -Store $Store -Tenant tenant-1 -Path /a.txt -Attributes @{ owner = 'ops'; tier = 'gold' }
        Set-NexusAttribute -Store $Store -Tenant tenant-2 -Path /c.txt -Attributes @{ owner = 'dev' }
    }

    function Get-Check($Store, [string] $Check) {
        $results = @(Test-NexusStore -Store $Store -Check $Check)
        $results.Count | Should -Be 1
        $results[0]
    }
}

Describe 'Test-NexusStore and Get-NexusStoreInfo on the <Layout> layout' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) -ForEach @(
    @{ Layout = 'partitioned'; Citus = $false }
    @{ Layout = 'distributed'; Citus = $true }
) {
    BeforeAll {
        $script:SkipReason = $null
        if ($Citus) {
            $cluster = Start-TestCitusCluster
            $script:SkipReason = $cluster.SkipReason
            if ($SkipReason) { return }
        }
        $script:cs = New-TestDatabase -Dialect postgres -Citus:$Citus
        $script:store = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        $null = Invoke-NexusMigration -Store $store -Confirm:$false
        $null = Convert-NexusStore -Store $store -Layout $Layout -Partitions 4 -Confirm:$false
        Invoke-TestSql $cs 'CREATE EXTENSION IF NOT EXISTS amcheck' | Out-Null
        Add-HealthRecords $store
    }
    AfterAll {
        if ($store) { Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue }
        if ($cs) { Remove-TestDatabase -ConnectionString $cs }
    }

    It 'is really the <Layout> layout (the control: the catalog shows partitions or shards)' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        if ($Citus) {
            Invoke-TestSql $cs "SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'file_paths'::regclass" | Should -Be '4'
        }
        else {
            Invoke-TestSql $cs "SELECT count(*) FROM pg_inherits WHERE inhparent = 'file_paths'::regclass" | Should -Be '4'
        }
    }

    It 'passes every check when healthy' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $results = @(Test-NexusStore -Store $store -DeletedBefore (Get-Date).AddDays(-1))
        $results.Count | Should -Be 7
        foreach ($r in $results) { "$($r.Check)=$($r.Status)" | Should -Be "$($r.Check)=Pass" -Because $r.Details }
        (Get-Check $store SchemaObjects).Details | Should -Match "in the $Layout layout"
    }

    It 'Get-NexusStoreInfo: rows per table and sizes from the partitions or shards' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $sizeOf = if ($Citus) { "citus_total_relation_size('{0}')" } else { "(SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('{0}'))" }
        Invoke-TestSql $cs 'ANALYZE' | Out-Null
        foreach ($exact in $true, $false) {
            $tables = @((Get-NexusStoreInfo -Store $store -Exact:$exact).Tables)
            @($tables | Where-Object Name -match '_p\d+$') | Should -BeNullOrEmpty -Because 'a partition is part of its table, not a table of the store'
            $paths = $tables | Where-Object Name -eq 'file_paths'
            $attributes = $tables | Where-Object Name -eq 'file_metadata'
            $paths.Rows | Should -Be 3 -Because "file_paths rows (exact: $exact)"
            $attributes.Rows | Should -Be 3 -Because "file_metadata rows (exact: $exact)"
            ($tables | Where-Object Name -eq 'content_chunks').Rows | Should -Be 3
            foreach ($t in $paths, $attributes) {
                $t.SizeBytes | Should -BeGreaterThan 0
                $t.SizeBytes | Should -Be ([long](Invoke-TestSql $cs ("SELECT " + ($sizeOf -f $t.Name))))
            }
        }
        if (-not $Citus) {
            # The parent holds no bytes itself: the size is the partitions' sum, not the parent's 0.
            Invoke-TestSql $cs "SELECT pg_total_relation_size('file_paths')" | Should -Be '0'
        }
        $tenants = @((Get-NexusStoreInfo -Store $store).Tenants)
        @($tenants | ForEach-Object { "$($_.Tenant)=$($_.Records)" }) | Should -Be @('tenant-1=2', 'tenant-2=1')
    }

    It 'SchemaObjects: fails on a dropped index, and passes once it is back' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        Invoke-TestSql $cs 'DROP INDEX idx_file_paths_backend_id' | Out-Null
        $r = Get-Check $store SchemaObjects
        $r.Status | Should -Be 'Fail'
        @($r.Rows | ForEach-Object { "$($_['difference']) $($_['object'])" }) | Should -Be @('missing index idx_file_paths_backend_id on file_paths USING btree (backend_id)')
        Invoke-TestSql $cs 'CREATE INDEX idx_file_paths_backend_id ON file_paths (backend_id)' | Out-Null
        (Get-Check $store SchemaObjects).Status | Should -Be 'Pass'
    }

    It 'SchemaObjects: fails when a keyed constraint differs from the layout''s (same name, other columns)' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        Invoke-TestSql $cs 'ALTER TABLE file_metadata DROP CONSTRAINT uq_file_metadata_path_key' | Out-Null
        Invoke-TestSql $cs 'ALTER TABLE file_metadata ADD CONSTRAINT uq_file_metadata_path_key UNIQUE (tenant_id, key, path_id)' | Out-Null
        $r = Get-Check $store SchemaObjects
        $r.Status | Should -Be 'Fail'
        @($r.Rows | Where-Object { $_['difference'] -eq 'missing' } | ForEach-Object { $_['object'] }) | Should -Contain 'constraint uq_file_metadata_path_key on file_metadata UNIQUE (tenant_id, path_id, key)'
        Invoke-TestSql $cs 'ALTER TABLE file_metadata DROP CONSTRAINT uq_file_metadata_path_key' | Out-Null
        Invoke-TestSql $cs 'ALTER TABLE file_metadata ADD CONSTRAINT uq_file_metadata_path_key UNIQUE (tenant_id, path_id, key)' | Out-Null
        (Get-Check $store SchemaObjects).Status | Should -Be 'Pass'
    }

    It 'ChunkReferences: fails when a chunk has fewer references than the live records with its hash' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        Invoke-TestSql $cs "UPDATE content_chunks SET ref_count = 0 WHERE content_hash = 'hash-c'" | Out-Null
        $r = Get-Check $store ChunkReferences
        $r.Status | Should -Be 'Fail' -Because $r.Details
        @($r.Rows | ForEach-Object { "$($_['content_hash']) $($_['ref_count']) $($_['live_records'])" }) | Should -Be @('hash-c 0 1')
        Invoke-TestSql $cs "UPDATE content_chunks SET ref_count = 1 WHERE content_hash = 'hash-c'" | Out-Null
        (Get-Check $store ChunkReferences).Status | Should -Be 'Pass'
    }

    It 'ForeignKeys and OrphanAttributes: fail on attributes whose record was deleted behind the foreign key' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        if ($Citus) {
            # Citus runs the delete on the workers, where this session's replication role does not
            # go: the way around the key there is to drop it (SchemaObjects reports that too).
            Invoke-TestSql $cs "ALTER TABLE file_metadata DROP CONSTRAINT fk_file_metadata_path_id; DELETE FROM file_paths WHERE tenant_id = 'tenant-1' AND virtual_path = '/a.txt'" | Out-Null
            $schema = Get-Check $store SchemaObjects
            $schema.Status | Should -Be 'Fail'
            @($schema.Rows | ForEach-Object { $_['object'] }) | Should -Contain 'constraint fk_file_metadata_path_id on file_metadata FOREIGN KEY (tenant_id, path_id) REFERENCES file_paths(tenant_id, path_id) ON DELETE CASCADE'
        }
        else {
            Invoke-TestSql $cs "SET session_replication_role = replica; DELETE FROM file_paths WHERE tenant_id = 'tenant-1' AND virtual_path = '/a.txt'" | Out-Null
            $fk = Get-Check $store ForeignKeys
            $fk.Status | Should -Be 'Fail'
            $fk.RowCount | Should -Be 2
        }
        $orphans = Get-Check $store OrphanAttributes
        $orphans.Status | Should -Be 'Fail' -Because $orphans.Details
        $orphans.RowCount | Should -Be 2
        @($orphans.Rows | ForEach-Object { $_['key'] }) | Should -Be @('owner', 'tier')
    }
}
