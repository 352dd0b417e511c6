#!/usr/bin/env bash
# Read throughput of Get-NexusMetadata over N piped paths with replica reads on and off, in the
# same run, against a throwaway primary and its streaming replica (scripts/lib/pgscale.sh).
# Usage: bash scripts/bench-replica.sh [records=100000] [runs=3]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
count=${1:-100000}
runs=${2:-3}

bash scripts/build.sh >/dev/null
# shellcheck source=lib/pgscale.sh
source scripts/lib/pgscale.sh
trap 'pgscale_stop_all 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pgscale_root
eval "$(bash scripts/lib/pgscale.sh pair bench | sed 's/^/export BENCH_/')"

BENCH_COUNT=$count BENCH_RUNS=$runs dotnet tool run pwsh -NoProfile -NonInteractive -Command '
param()
$ErrorActionPreference = "Stop"
Import-Module ./out/Nexus/Nexus.psd1
$count = [int]$env:BENCH_COUNT; $runs = [int]$env:BENCH_RUNS
$primary = "postgresql://nexus:$($env:BENCH_PASSWORD)@127.0.0.1:$($env:BENCH_PRIMARY_PORT)/nexus_scale"
$env:NEXUS_BENCH_PW = $env:BENCH_PASSWORD
$config = Join-Path ([IO.Path]::GetTempPath()) "nexus-bench-$PID.yaml"
Set-Content $config @"
stores:
  replicas:
    url: postgresql://nexus@127.0.0.1:$($env:BENCH_PRIMARY_PORT)/nexus_scale
    password_env: NEXUS_BENCH_PW
    read_replica_urls: [ "postgresql://nexus@127.0.0.1:$($env:BENCH_REPLICA_PORT)/nexus_scale" ]
    read_preference: prefer-replica
  primary:
    url: postgresql://nexus@127.0.0.1:$($env:BENCH_PRIMARY_PORT)/nexus_scale
    password_env: NEXUS_BENCH_PW
    read_replica_urls: [ "postgresql://nexus@127.0.0.1:$($env:BENCH_REPLICA_PORT)/nexus_scale" ]
    read_preference: primary
"@
$writer = Connect-NexusStore -ConnectionString $primary -WarningAction SilentlyContinue
Invoke-NexusMigration -Confirm:$false | Out-Null
$paths = 1..$count | ForEach-Object { "/bench/file-$_.bin" }
$paths | ForEach-Object { [pscustomobject]@{ Path = $_; Size = 1 } } | Set-NexusMetadata
Start-Sleep -Seconds 2   # let the replica replay the load
foreach ($run in 1..$runs) {
    foreach ($name in "primary", "replicas") {
        $store = Connect-NexusStore -ConfigPath $config -Name $name -NoDefault -WarningAction SilentlyContinue
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $n = ($paths | Get-NexusMetadata -Store $store | Measure-Object).Count
        $watch.Stop()
        "run {0} reads from {1,-8}: {2} records in {3:0.00} s = {4:N0} records/s" -f $run, $(if ($name -eq "replicas") { "replica" } else { "primary" }), $n, $watch.Elapsed.TotalSeconds, ($n / $watch.Elapsed.TotalSeconds)
        $store | Disconnect-NexusStore
    }
}
Remove-Item $config
' 
