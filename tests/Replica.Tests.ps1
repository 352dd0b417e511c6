# Issue 12, read replicas, against a real primary and a streaming replica made with
# `pg_basebackup -R` (scripts/lib/pgscale.sh, started by this suite under the run's
# NEXUS_SCALE_ROOT and stopped in AfterAll and by scripts/test.sh's EXIT trap):
# writes always reach the primary, reads prefer the replica, lag and read-your-writes,
# and the faults (replica stopped, replica paused, primary stopped + replica promoted, both down),
# each by stopping or pausing the real server process. The promote test runs last: it ends the pair.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

Describe 'Read replicas' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL -or -not $env:NEXUS_SCALE_ROOT) {
    BeforeAll {
        Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
        $script:Module = Import-NexusModuleForTest
        Import-Module "$PSScriptRoot/ScaleTestHelpers.psm1" -Force
        $script:Pair = 'replica-suite'
        $vars = Start-ScalePair $Pair
        $script:PrimaryPort = $vars.PRIMARY_PORT
        $script:ReplicaPort = $vars.REPLICA_PORT
        $script:PrimaryUrl = "postgresql://nexus:$($vars.PASSWORD)@127.0.0.1:$PrimaryPort/nexus_scale"
        $script:ReplicaUrl = "postgresql://nexus:$($vars.PASSWORD)@127.0.0.1:$ReplicaPort/nexus_scale"
        $env:NEXUS_TEST_SCALE_PW = $vars.PASSWORD
        $script:ConfigFile = New-ScaleConfigFile 'nexus-replica' @"
stores:
  scaled:
    url: postgresql://nexus@127.0.0.1:$PrimaryPort/nexus_scale
    password_env: NEXUS_TEST_SCALE_PW
    read_replica_urls:
      - postgresql://nexus@127.0.0.1:$ReplicaPort/nexus_scale
    read_preference: prefer-replica
    max_replica_lag: 2
    pool: { timeout: 5 }
"@
        # The schema, written through a plain primary store; the replica replays it.
        $script:Direct = Connect-StoreForTest $PrimaryUrl -NoDefault
        $script:Store = Connect-NexusStore -ConfigPath $ConfigFile -Name scaled -WarningAction SilentlyContinue

        function Wait-Until([scriptblock] $Condition, [int] $Seconds = 15) {
            $deadline = (Get-Date).AddSeconds($Seconds)
            while (-not (& $Condition)) {
                if ((Get-Date) -gt $deadline) { throw "timed out after $Seconds s waiting for: $Condition" }
                Start-Sleep -Milliseconds 100
            }
        }
        function Get-Host([string] $Port) { $Store.Hosts | Where-Object Host -EQ "127.0.0.1:$Port" }
        # Where a connection of the given intent lands (the port of its server).
        function Get-IntentPort([string] $Intent) {
            $c = $Store.OpenConnection($Intent); try { $c.Port } finally { $c.Dispose() }
        }
        Wait-Until { (Get-Host $ReplicaPort).Role -eq 'standby' -and (Get-Host $ReplicaPort).LagSeconds -eq 0 }
    }
    AfterAll {
        if ($Store) { $Store | Disconnect-NexusStore }
        if ($Direct) { $Direct | Disconnect-NexusStore }
        Invoke-PgScale 'stop', $Pair
        Remove-Item -Recurse -Force (Split-Path $ConfigFile) -ErrorAction SilentlyContinue
        $env:NEXUS_TEST_SCALE_PW = $null
    }

    It 'lists the hosts with role, state and measured lag' {
        $hosts = (Get-NexusStore).Hosts
        $hosts.Count | Should -Be 2
        $primary = Get-Host $PrimaryPort
        $primary.Role | Should -Be 'primary'
        $primary.State | Should -Be 'up'
        $replica = Get-Host $ReplicaPort
        $replica.Role | Should -Be 'standby'
        $replica.State | Should -Be 'up'
        $replica.LagSeconds | Should -Be 0 -Because 'an idle, caught-up pair has no lag (WAL positions, not replay timestamps)'
        (Get-NexusStore).Settings | Where-Object Name -EQ 'read_preference' | ForEach-Object Value | Should -Be 'prefer-replica'
        (Get-NexusStore | Format-List | Out-String) | Should -Match "Hosts\s*:.*127\.0\.0\.1:$ReplicaPort standby up"
        (Get-NexusStoreInfo).ReplicaLag | Should -Be ([timespan]::Zero) -Because 'Get-NexusStoreInfo reports the standby furthest behind'
    }

    It 'sends reads to the replica and writes to the primary' {
        Get-IntentPort 'Read' | Should -Be $ReplicaPort
        Get-IntentPort 'Write' | Should -Be $PrimaryPort
    }

    It 'writes to the primary even when the URL lists the standby first with target_session_attrs=prefer-standby' {
        $url = "postgresql://nexus:$env:NEXUS_TEST_SCALE_PW@127.0.0.1:$ReplicaPort,127.0.0.1:$PrimaryPort/nexus_scale?target_session_attrs=prefer-standby"
        $standbyFirst = Connect-NexusStore -ConnectionString $url -NoDefault -WarningAction SilentlyContinue
        try {
            $c = $standbyFirst.OpenConnection('Write'); try { $c.Port | Should -Be $PrimaryPort } finally { $c.Dispose() }
            $record = Set-NexusMetadata -Store $standbyFirst -Path '/urls/standby-first.txt' -Size 1 -PassThru -ErrorAction Stop
            $record.Path | Should -Be '/urls/standby-first.txt'
            Invoke-NexusMigration -Store $standbyFirst -Confirm:$false -ErrorAction Stop | Out-Null
            # The URL's attribute still applies to reads.
            $c = $standbyFirst.OpenConnection('Read'); try { $c.Port | Should -Be $ReplicaPort } finally { $c.Dispose() }
        }
        finally { $standbyFirst | Disconnect-NexusStore }
    }

    It 'reads its own writes at once, even while the replica does not replay' {
        Invoke-TestSql $ReplicaUrl 'SELECT pg_wal_replay_pause()' | Out-Null
        try {
            Set-NexusMetadata -Path '/ryw/own.txt' -Size 7 -ErrorAction Stop
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $read = Get-NexusMetadata -LiteralPath '/ryw/own.txt' -Verbose 4>&1
            $watch.Stop()
            ($read | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Size | Should -Be 7
            ($read | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
                Should -Contain "Read from the primary: the replica 127.0.0.1:$ReplicaPort has not replayed this store's last write within 1 s."
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        }
        finally { Invoke-TestSql $ReplicaUrl 'SELECT pg_wal_replay_resume()' | Out-Null }
        # Once the replica has replayed the write, reads go back to it.
        Wait-Until { (Get-NexusMetadata -LiteralPath '/ryw/own.txt') -and (Get-IntentPort 'Read') -eq $ReplicaPort }
    }

    It 'serves reads from a paused replica until it lags more than max_replica_lag, then from the primary' {
        Invoke-TestSql $ReplicaUrl 'SELECT pg_wal_replay_pause()' | Out-Null
        try {
            # Another session writes: this store has no write of its own to wait for.
            Set-NexusMetadata -Store $Direct -Path '/lag/elsewhere.txt' -Size 3 -ErrorAction Stop
            Get-NexusMetadata -LiteralPath '/lag/elsewhere.txt' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'the replica serves, and it has not replayed the write'
            Wait-Until { (Get-Host $ReplicaPort).LagSeconds -gt 2 } 10
            (Get-NexusMetadata -LiteralPath '/lag/elsewhere.txt').Size | Should -Be 3
            Get-IntentPort 'Read' | Should -Be $PrimaryPort
        }
        finally { Invoke-TestSql $ReplicaUrl 'SELECT pg_wal_replay_resume()' | Out-Null }
        Wait-Until { (Get-Host $ReplicaPort).LagSeconds -eq 0 }
        Get-IntentPort 'Read' | Should -Be $ReplicaPort
    }

    It 'falls back to the primary, without an error, when the replica is stopped' {
        Invoke-PgScale 'ctl', $Pair, 'replica', 'stop' | Out-Null
        try {
            $found = Get-NexusMetadata -LiteralPath '/ryw/own.txt' -ErrorAction Stop
            $found.Size | Should -Be 7
            Get-IntentPort 'Read' | Should -Be $PrimaryPort
            Wait-Until { (Get-Host $ReplicaPort).State -eq 'down' }
        }
        finally { Invoke-PgScale 'ctl', $Pair, 'replica', 'start' | Out-Null }
        Wait-Until { (Get-Host $ReplicaPort).State -eq 'up' -and (Get-Host $ReplicaPort).LagSeconds -eq 0 }
    }

    # Last: this one ends the pair.
    It 'writes to the promoted replica once the primary is gone, says so in -Verbose, and fails clearly when both are down' {
        Invoke-PgScale 'ctl', $Pair, 'primary', 'stop' | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Invoke-PgScale 'ctl', $Pair, 'replica', 'promote' | Out-Null
        $written = $null; $verbose = @(); $errors = @()
        while (-not $written -and $watch.Elapsed.TotalSeconds -lt 30) {
            try {
                $out = Set-NexusMetadata -Path '/failover/after.txt' -Size 9 -PassThru -Verbose -ErrorAction Stop 4>&1
                $written = $out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
                $verbose += ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
            }
            catch { $errors += $_.Exception.Message; Start-Sleep -Milliseconds 200 }
        }
        $watch.Stop()
        $written.Path | Should -Be '/failover/after.txt' -Because "errors seen: $($errors -join ' | ')"
        $verbose | Should -Contain "Writes go to the primary at 127.0.0.1:$ReplicaPort."
        Write-Host ("    failover: first write on the promoted replica {0:0.0} s after the primary stopped ({1} failed attempts)" -f $watch.Elapsed.TotalSeconds, $errors.Count)
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30

        # Both down: a clear ConnectionError within the timeout, no hang.
        Invoke-PgScale 'ctl', $Pair, 'replica', 'stop' | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $failure = try { Set-NexusMetadata -Path '/failover/none.txt' -Size 1 -ErrorAction Stop; $null } catch { $_ }
        $watch.Stop()
        $failure | Should -Not -BeNullOrEmpty
        $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure.Exception.Message | Should -Match '127\.0\.0\.1'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}
