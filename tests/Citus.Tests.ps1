# Issue 13, the Citus test environment: a smoke test that scripts/lib/citus.sh gives a working
# cluster, a coordinator and two workers on loopback, started once per run under the run's
# NEXUS_CITUS_ROOT (scripts/test.sh stops it, whatever happens). When the citus extension is not
# installed, the first start builds it from ../shared/vendor/citus into a cache outside the
# repository (minutes); without that source the tests are skipped and say why.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

Describe 'A Citus cluster of a coordinator and two workers' -Tag 'postgres', 'citus' -Skip:(-not $env:TEST_DATABASE_URL -or -not $env:NEXUS_CITUS_ROOT) {
    BeforeAll {
        Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
        $script:Module = Import-NexusModuleForTest
        $citus = Join-Path $PSScriptRoot '../scripts/lib/citus.sh'
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = @(& bash $citus start 2>&1)
        if ($LASTEXITCODE -ne 0) { throw "scripts/lib/citus.sh start failed: $($out -join "`n")" }
        $vars = @{}
        foreach ($line in $out) { if ("$line" -match '^(\w+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
        $script:SkipReason = $vars['SKIP']
        if ($SkipReason) { return }
        Write-Host "citus: cluster ready in $([int]$watch.Elapsed.TotalSeconds) s (its own start: $($vars.START_SECONDS) s; the rest is the build, if there was one)"
        $script:Url = $vars['CITUS_URL']
        $script:WorkerPorts = $vars['WORKER_PORTS'] -split ','
        $script:Store = Connect-StoreForTest $Url -NoDefault
    }
    AfterAll {
        # The cluster stays up for other Citus suites of this run; scripts/test.sh stops it.
        if ($Store) { $Store | Disconnect-NexusStore }
    }

    It 'has two active workers' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $workers = @(Invoke-TestSql $Url 'SELECT node_name, node_port FROM citus_get_active_worker_nodes() ORDER BY node_port')
        $workers.Count | Should -Be 2
        ($workers | ForEach-Object { ($_ -split '\|')[1] } | Sort-Object) | Should -Be ($WorkerPorts | Sort-Object)
    }

    It 'migrates a module store on the coordinator, which then stores and reads records' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $Store.SchemaRevision | Should -Be $Store.HeadRevision
        $Store.ServerVersion | Should -Match '^PostgreSQL \d+'
        Invoke-TestSql $Url "SELECT extversion FROM pg_extension WHERE extname = 'citus'" | Should -Match '^\d+\.\d+'
        Set-NexusMetadata -Store $Store -Path '/citus/smoke' -Size 7
        (Get-NexusMetadata -Store $Store -Path '/citus/smoke').Size | Should -Be 7
    }

    It 'places the shards of a distributed table on both workers and reads them back' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $rows = Invoke-TestSql $Url @'
CREATE TABLE citus_smoke (tenant_id text NOT NULL, n int NOT NULL);
SELECT create_distributed_table('citus_smoke', 'tenant_id');
INSERT INTO citus_smoke SELECT 't' || (i % 50), i FROM generate_series(1, 1000) AS i;
SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'citus_smoke'::regclass;
SELECT count(*), sum(n) FROM citus_smoke;
DROP TABLE citus_smoke;
'@
        $rows = @($rows | Where-Object { $_ -match '^\d' })
        $rows[-2] | Should -Be '2'
        $rows[-1] | Should -Be '1000|500500'
    }

    It 'makes test databases on the coordinator and both workers, ready for create_distributed_table, and drops them everywhere' {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        $cluster = Start-TestCitusCluster
        $cluster.WorkerUrls.Count | Should -Be 2
        $cs = New-TestDatabase -Dialect postgres -Citus
        $name = ([uri]($cs -replace '^postgresql', 'http')).AbsolutePath.TrimStart('/')
        try {
            $workers = Get-TestCitusWorkerUrl -ConnectionString $cs
            $workers.Count | Should -Be 2
            foreach ($url in $workers) { Invoke-TestSql $url 'SELECT current_database()' | Should -Be $name }
            $rows = @(Invoke-TestSql $cs @'
CREATE TABLE t (tenant_id text NOT NULL, n int NOT NULL);
SELECT create_distributed_table('t', 'tenant_id', shard_count => 4);
INSERT INTO t SELECT 't' || (i % 7), i FROM generate_series(1, 70) AS i;
SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 't'::regclass;
SELECT count(*) FROM t;
'@ | Where-Object { $_ -match '^\d+$' })
            $rows[-2] | Should -Be '2'
            $rows[-1] | Should -Be '70'
        }
        finally {
            Remove-TestDatabase -ConnectionString $cs
        }
        foreach ($node in @($cluster.CoordinatorUrl) + $cluster.WorkerUrls) {
            Invoke-TestSql $node "SELECT count(*) FROM pg_database WHERE datname = '$name'" | Should -Be '0'
        }
    }
}
