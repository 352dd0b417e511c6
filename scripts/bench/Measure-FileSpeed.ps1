<#
.SYNOPSIS
    Helper of bench-files.sh: builds a SQLite store of -Records file records with one attribute
    each (rows by the sqlite3 CLI), then -Runs times exports it (plain, then -Compress) and imports
    the plain export into a new SQLite store, and prints the medians, the sizes and the row rate.
#>
param(
    [int] $Records = 200000,
    [int] $Runs = 3,
    [Parameter(Mandatory)][string] $Work,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Nexus/Nexus.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$source = Join-Path $Work 'source.db'
$store = Connect-NexusStore -Path $source -NoDefault
$uuid = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
@"
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $Records)
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
SELECT $uuid, 't', '/d/' || i, 'local', '/srv/' || i, NULL, i, lower(hex(randomblob(32))), '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z', NULL, 1 FROM n;
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT $uuid, path_id, 'owner', json_object('uid', rowid), created_at, updated_at FROM file_paths;
COMMIT;
"@ | & sqlite3 -batch -bail $source
if ($LASTEXITCODE) { throw 'building the SQLite store failed' }
$rows = 2 * $Records

$times = @{ plain = @(); compressed = @(); import = @() }
$sizes = @{}
for ($run = 1; $run -le $Runs; $run++) {
    foreach ($kind in 'plain', 'compressed') {
        $folder = Join-Path $Work "export-$kind"
        Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
        $t = Measure-Command { $r = Export-NexusData -Store $store -Path $folder -Compress:($kind -eq 'compressed') -ProgressAction SilentlyContinue }
        if (@($r | Where-Object { -not $_.Match }).Count) { throw "export ($kind) did not verify" }
        $times[$kind] += $t.TotalSeconds
        $sizes[$kind] = (Get-ChildItem $folder | Measure-Object Length -Sum).Sum
    }
    $target = Join-Path $Work "import-$run.db"
    $into = Connect-NexusStore -Path $target -NoDefault
    $t = Measure-Command { $r = Import-NexusData -Store $into -Path (Join-Path $Work 'export-plain') -ProgressAction SilentlyContinue }
    Disconnect-NexusStore -Store $into
    if (@($r | Where-Object { -not $_.Match }).Count) { throw 'import did not verify' }
    $times.import += $t.TotalSeconds
    "bench: run ${run}: export $([math]::Round($times.plain[-1], 2)) s, export -Compress $([math]::Round($times.compressed[-1], 2)) s, import $([math]::Round($times.import[-1], 2)) s"
}
Disconnect-NexusStore -Store $store
"bench: $Records file records ($rows rows), median of $Runs runs, $([Environment]::ProcessorCount) cores"
foreach ($kind in 'plain', 'compressed', 'import') {
    $m = Get-Median $times[$kind]
    $label = @{ plain = 'export          '; compressed = 'export -Compress'; import = 'import (SQLite) ' }[$kind]
    $size = if ($sizes.ContainsKey($kind)) { ", $([math]::Round($sizes[$kind] / 1MB, 1)) MB" } else { '' }
    "bench: $label $([math]::Round($m, 2)) s ($([math]::Round($rows / $m)) rows/s$size)"
}
