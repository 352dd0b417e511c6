<#
.SYNOPSIS
    Helper of bench-copy.sh: builds a SQLite store of -Records file records (2 attributes each,
    1 chunk per 4 files), then -Runs times copies it into fresh PostgreSQL databases with
    Copy-NexusData (verification included) and with pgloader, and prints medians and the ratio;
    also the floor: psql loading the same rows by binary COPY into bare tables and then building
    the same keys and indexes (inputs dumped, untimed, from the first copy).
.DESCRIPTION
    Expects TEST_DATABASE_URL / NEXUS_TEST_PG_ADMIN_URL (scripts/lib/pg.sh) and the built module
    in out/Nexus. Each Copy-NexusData run is a fresh pwsh process; its time is the cmdlet call
    alone, and its peak working set is the whole process's (PowerShell itself included).
#>
param(
    [int] $Records = 1000000,
    [int] $Runs = 3,
    [Parameter(Mandatory)][string] $Work,
    # The built module to measure (default: this repository's out/Nexus).
    [string] $ModulePath = (Join-Path (Split-Path -Parent $PSScriptRoot) 'out/Nexus/Nexus.psd1'),
    # Keep and reuse <Work>/bench.db if it exists (it must have been built with the same -Records).
    [switch] $ReuseStore
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot
$module = $ModulePath
$admin = $env:NEXUS_TEST_PG_ADMIN_URL
$base = $admin -replace '/postgres$', ''
$psql = Join-Path (& pg_config --bindir) 'psql'

function Invoke-Psql([string] $Url, [string] $Sql) {
    $out = $Sql | & $psql $Url -X -q -v ON_ERROR_STOP=1 -At
    if ($LASTEXITCODE) { throw "psql failed: $Sql" }
    $out
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# ---- the SQLite store: schema by the module, rows by the sqlite3 CLI (fast, no module code).
$store = Join-Path $Work 'bench.db'
$attributes = 2 * $Records
$chunks = [int][math]::Ceiling($Records / 4)
$clock = [Diagnostics.Stopwatch]::StartNew()
if (-not ($ReuseStore -and (Test-Path $store))) {
& (Get-Process -Id $PID).Path ([Environment]::GetCommandLineArgs()[0]) -NoProfile -c "Import-Module '$module'; `$s = Connect-NexusStore -Path '$store'; Disconnect-NexusStore -Store `$s" | Out-Null
$uuid = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
$sql = @"
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $Records)
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
SELECT $uuid, 'tenant-' || (i % 10), '/data/' || (i % 1000) || '/file-' || i || '.bin', 'local', '/srv/blobs/' || i,
       CASE i % 3 WHEN 0 THEN 'application/octet-stream' WHEN 1 THEN 'text/plain' ELSE NULL END,
       i * 37 % 1000000, lower(hex(randomblob(32))), '2024-01-01T00:00:00.000000Z', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
       CASE WHEN i % 50 = 0 THEN '2024-06-01T12:00:00.000000Z' ELSE NULL END, 1 + i % 3
FROM n;
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT $uuid, path_id, 'owner', json_object('name', 'user-' || (rowid % 100), 'uid', rowid % 1000), created_at, updated_at FROM file_paths;
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT $uuid, path_id, 'tags', json_array('a', rowid % 7, rowid % 2 = 0), created_at, updated_at FROM file_paths;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $chunks)
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until)
SELECT $uuid, lower(hex(randomblob(32))), 65536, '/srv/chunks/' || i, i % 4, '2024-01-01T00:00:00.000000Z',
       CASE WHEN i % 2 = 0 THEN '2024-02-01T00:00:00.000000Z' ELSE NULL END, NULL
FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
"@
$sql | & sqlite3 -batch -bail $store
if ($LASTEXITCODE) { throw 'building the SQLite store failed' }
}
$size = (Get-Item $store).Length
"bench: SQLite store with $Records file records, $attributes attributes, $chunks chunks ($([math]::Round($size / 1MB)) MB) built in $([math]::Round($clock.Elapsed.TotalSeconds, 1)) s"

$copyTimes = @(); $pgloaderTimes = @(); $floorTimes = @(); $peaks = @()
$tables = 'file_paths', 'file_metadata', 'content_chunks'
for ($run = 1; $run -le $Runs; $run++) {
    # ---- Copy-NexusData into a fresh database, in a fresh process.
    $db = "nexus_bench_copy_$run"
    Invoke-Psql $admin "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db" | Out-Null
    $child = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$module'
`$sw = [Diagnostics.Stopwatch]::StartNew()
`$r = Copy-NexusData -Source '$store' -Destination '$base/$db' -ProgressAction SilentlyContinue
`$sw.Stop()
if (@(`$r | Where-Object { -not `$_.Match }).Count) { throw 'verification failed' }
[Console]::Out.WriteLine((@{ Seconds = `$sw.Elapsed.TotalSeconds; Peak = (Get-Process -Id `$PID).PeakWorkingSet64; Rows = (`$r | Measure-Object RowsWritten -Sum).Sum } | ConvertTo-Json -Compress))
"@
    $out = & (Get-Process -Id $PID).Path ([Environment]::GetCommandLineArgs()[0]) -NoProfile -NonInteractive -c $child
    if ($LASTEXITCODE) { throw "Copy-NexusData run $run failed: $out" }
    $m = $out | Select-Object -Last 1 | ConvertFrom-Json
    $copyTimes += $m.Seconds; $peaks += $m.Peak
    if ($run -eq 1) {
        # Inputs of the floor, taken from the copy just made (untimed): each table as a binary
        # COPY file, the bare tables (columns, defaults, CHECKs) and their keys and indexes.
        $pgdump = Join-Path (& pg_config --bindir) 'pg_dump'
        foreach ($section in 'pre-data', 'post-data') {
            & $pgdump --schema-only "--section=$section" --no-owner --no-privileges -t file_paths -t file_metadata -t content_chunks "$base/$db" |
                Set-Content (Join-Path $Work "floor-$section.sql")
            if ($LASTEXITCODE) { throw "pg_dump --section=$section failed" }
        }
        foreach ($t in $tables) { Invoke-Psql "$base/$db" "\copy $t TO '$(Join-Path $Work "$t.bin")' (FORMAT binary)" | Out-Null }
    }
    Invoke-Psql $admin "DROP DATABASE $db" | Out-Null

    # ---- the floor: psql, binary COPY of the same rows into bare tables, then the same keys
    # and indexes (maintenance_work_mem as the copy's), in a fresh database.
    $db = "nexus_bench_floor_$run"
    Invoke-Psql $admin "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db" | Out-Null
    Invoke-Psql "$base/$db" (Get-Content (Join-Path $Work 'floor-pre-data.sql') -Raw) | Out-Null
    $floorSql = @("SET maintenance_work_mem = '256MB';") + ($tables | ForEach-Object { "\copy $_ FROM '$(Join-Path $Work "$_.bin")' (FORMAT binary)" }) +
        (Get-Content (Join-Path $Work 'floor-post-data.sql') -Raw)
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Invoke-Psql "$base/$db" ($floorSql -join "`n") | Out-Null
    $sw.Stop()
    $floorTimes += $sw.Elapsed.TotalSeconds
    $floorSeconds = $sw.Elapsed.TotalSeconds
    Invoke-Psql $admin "DROP DATABASE $db" | Out-Null

    # ---- pgloader, same file, fresh database (it creates tables, indexes and keys itself).
    $db = "nexus_bench_pgloader_$run"
    Invoke-Psql $admin "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db" | Out-Null
    $sw = [Diagnostics.Stopwatch]::StartNew()
    # pgloader's default (100000 prefetched rows per table) exhausts its 1 GB heap on the
    # 1,000,000-record store here; 10000 lets it finish and is no slower.
    $log = & pgloader --quiet --with 'prefetch rows = 10000' "sqlite://$store" "$base/$db" 2>&1
    $sw.Stop()
    if ($LASTEXITCODE) { throw "pgloader run $run failed: $log" }
    $loaded = Invoke-Psql "$base/$db" 'SELECT (SELECT count(*) FROM file_paths) + (SELECT count(*) FROM file_metadata) + (SELECT count(*) FROM content_chunks)'
    if ([long]$loaded -ne [long]$m.Rows) { throw "pgloader loaded $loaded rows, Copy-NexusData $($m.Rows)" }
    $pgloaderTimes += $sw.Elapsed.TotalSeconds
    Invoke-Psql $admin "DROP DATABASE $db" | Out-Null
    "bench: run $run of ${Runs}: Copy-NexusData $([math]::Round($m.Seconds, 2)) s (peak working set $([math]::Round($m.Peak / 1MB)) MB), floor $([math]::Round($floorSeconds, 2)) s, pgloader $([math]::Round($sw.Elapsed.TotalSeconds, 2)) s, load average $((Get-Content /proc/loadavg) -replace ' \S+ \S+$', '')"
}

$copy = Get-Median $copyTimes
$pgl = Get-Median $pgloaderTimes
$peak = ($peaks | Measure-Object -Maximum).Maximum
"bench: machine: $([Environment]::ProcessorCount) cores, $((Get-Content /etc/os-release | Select-String '^PRETTY_NAME=') -replace 'PRETTY_NAME=|"', '')"
"bench: $Records file records ($($m.Rows) rows in all), median of $Runs runs"
$floor = Get-Median $floorTimes
"bench: Copy-NexusData (verified) $([math]::Round($copy, 2)) s | pgloader $([math]::Round($pgl, 2)) s | ratio $([math]::Round($copy / $pgl, 2)) (target <= 0.6)"
"bench: floor (psql: binary COPY into bare tables, then keys and indexes) $([math]::Round($floor, 2)) s | Copy-NexusData / floor $([math]::Round($copy / $floor, 2)) | pgloader / floor $([math]::Round($pgl / $floor, 2))"
"bench: Copy-NexusData peak working set $([math]::Round($peak / 1MB)) MB (limit 300 MB)"
