<#
.SYNOPSIS
    Measures one store at a size (10,000,000 records for docs/SCALE.md): put throughput, get by
    path and a prefix listing against the raw ADO.NET floor, an attribute query, Export-NexusData,
    the store's size, and the peak memory of each streaming cmdlet in its own process.
.DESCRIPTION
    The store holds -Count records /s/<i % folders>/file-<i> (folders of 1,000 records). How:
    build   Records -PutCount+1 .. -Count are written with set-based SQL (not the cmdlets), to save
            time; they look like the piped ones (same columns, same kinds of values).
    put     Records 1 .. -PutCount are piped into Set-NexusMetadata by a generator (a for loop
            emitting [pscustomobject]s: nothing holds them all), in a child pwsh process, into the
            store that already holds the SQL-built records. Throughput = PutCount / seconds.
    get     -Sample random paths piped into Get-NexusMetadata, against raw prepared point lookups
            (one SELECT per path) on the same store in this process. Per-path latency, ratio.
    prefix  Get-NexusMetadata -Prefix over one folder (1,000 records) against the raw range query
            (best of 5 each). Ratio = module time / raw time (target: at most 2).
    attr    One in ten records gets an 'owner' attribute with set-based SQL; 'ops' on exactly 100
            of them. Get-NexusMetadata -Attribute @{ owner = 'ops' } (best of 5).
    export  Export-NexusData of the whole store, in a child process: seconds, rows/s, folder size.
    memory  Peak working set (Process.PeakWorkingSet64 = VmHWM on Linux) of child pwsh processes:
            idle (module imported, store connected, one query), put, get of the sample, a listing
            of the WHOLE store (Get-NexusMetadata -Prefix '/s/' | Measure-Object), the attribute
            query, and the export. Target: each within 200 MB of idle.
    Prints 'scale: ...' lines as it goes and, with -ReportPath, writes every figure as JSON.
.EXAMPLE
    bash scripts/bench-store.sh scale 10000000
.EXAMPLE
    pwsh scripts/bench/Measure-StoreScale.ps1 -ConnectionString sqlite:////tmp/scale.db -Count 50000
#>
param(
    [Parameter(Mandatory)][string] $ConnectionString,
    [long] $Count = 10000000,
    [long] $PutCount = [math]::Min($Count, 1000000),
    [int] $Sample = 2000,
    [string] $ReportPath,
    [string] $WorkFolder = [IO.Path]::GetTempPath(),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Nexus/Nexus.psd1')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$ModulePath = (Resolve-Path $ModulePath).Path
$isSqlite = $ConnectionString -like 'sqlite:*'
$dialect = if ($isSqlite) { 'sqlite' } else { 'postgres' }
$tenant = '00000000-0000-0000-0000-000000000000'
$folders = [math]::Max(1, [long][math]::Floor($Count / 1000))
$report = [ordered]@{ dialect = $dialect; records = $Count; put_records = $PutCount; sql_built_records = $Count - $PutCount; sample = $Sample }
function Write-Figure([string] $Name, $Value, [string] $Text) {
    $report[$Name] = $Value
    Write-Host "scale: $dialect ${Name}: $Text"
}
function Invoke-Sql($store, [string] $sql, [switch] $Scalar) {
    $c = $store.OpenConnection('Write')
    try {
        $cmd = $c.CreateCommand(); $cmd.CommandTimeout = 0; $cmd.CommandText = $sql
        if ($Scalar) { $cmd.ExecuteScalar() } else { $null = $cmd.ExecuteNonQuery() }
    }
    finally { $c.Dispose() }
}

# --- child processes: each streaming cmdlet in its own pwsh, its peak working set -------------
$pwsh = (Get-Process -Id $PID).Path
$pwshArgs = @()
if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $pwshArgs += [Environment]::GetCommandLineArgs()[0] }
function Invoke-Child([string] $Name, [string] $Body) {
    $file = Join-Path $WorkFolder "scale-child-$PID-$Name.ps1"
    Set-Content $file @"
param(`$ModulePath, `$Cs, `$From, `$To, `$Out)
`$ErrorActionPreference = 'Stop'
Import-Module `$ModulePath
`$s = Connect-NexusStore -ConnectionString `$Cs -WarningAction SilentlyContinue
`$null = Get-NexusMetadata -Store `$s -Path '/s/0/file-0' -ErrorAction SilentlyContinue
`$sw = [Diagnostics.Stopwatch]::StartNew()
$Body
`$sw.Stop()
`$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh()
[pscustomobject]@{ Seconds = `$sw.Elapsed.TotalSeconds; PeakBytes = `$p.PeakWorkingSet64; Result = `$result } | ConvertTo-Json -Compress
"@
    $out = & $pwsh @pwshArgs -NoProfile -NonInteractive -File $file $ModulePath $script:storeCs $script:childFrom $script:childTo $script:childOut
    if ($LASTEXITCODE) { throw "child '$Name' failed ($LASTEXITCODE): $out" }
    Remove-Item $file
    $out | Select-Object -Last 1 | ConvertFrom-Json
}

# --- the store ------------------------------------------------------------------------------
$storeCs = $ConnectionString
if ($isSqlite) {
    $dbFile = $ConnectionString -replace '^sqlite:///', ''
    Remove-Item "$dbFile*" -Force -ErrorAction SilentlyContinue
}
$store = Connect-NexusStore -ConnectionString $storeCs -WarningAction SilentlyContinue
$null = Invoke-NexusMigration -Store $store -Confirm:$false
if (-not $isSqlite) { Invoke-Sql $store 'TRUNCATE file_paths CASCADE' }
$load = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -replace '^(\S+ \S+ \S+).*', '$1'
Write-Host "scale: $dialect, $Count records ($PutCount piped, the rest SQL-built), $([Environment]::ProcessorCount) cores, load average $load"
$report.load_average_start = $load

# Records PutCount+1..Count with set-based SQL, emitted folder by folder so that index inserts
# stay local (k runs 0..n-1; i = PutCount+1 + the k-th record in folder-major order).
$built = $Count - $PutCount
if ($built -gt 0) {
    $per = [math]::Ceiling($built / $folders)
    $seconds = (Measure-Command {
        if ($isSqlite) {
            Invoke-Sql $store "PRAGMA cache_size = -1000000;
                WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < $($folders * $per - 1)),
                r(k, i) AS (SELECT k, $PutCount + 1 + (k % $per) * $folders + (k / $per) FROM c)
                INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
                SELECT printf('00000000-0000-4000-8000-%012d', k), '$tenant', printf('/s/%d/file-%d', i % $folders, i), 'local', printf('/data/blobs/%d', i),
                       'application/octet-stream', i, printf('%064x', i), '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', NULL, 1
                FROM r WHERE i <= $Count"
        }
        else {
            Invoke-Sql $store "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
                SELECT gen_random_uuid(), '$tenant', format('/s/%s/file-%s', i % $folders, i), 'local', format('/data/blobs/%s', i),
                       'application/octet-stream', i, lpad(to_hex(i), 64, '0'), now(), now(), NULL, 1
                FROM (SELECT $PutCount + 1 + (k % $per) * $folders + (k / $per) AS i FROM generate_series(0::bigint, $($folders * $per - 1)) k) g
                WHERE i <= $Count"
        }
    }).TotalSeconds
    Write-Figure build_seconds $seconds ('{0:N0} records by SQL in {1:N1} s' -f $built, $seconds)
}

# --- memory baseline and put ------------------------------------------------------------------
$childFrom = 1; $childTo = $PutCount; $childOut = ''
$idle = Invoke-Child idle '$result = 0'
Write-Figure memory_idle_mb ($idle.PeakBytes / 1MB) ('{0:N0} MB peak working set (module imported, store connected)' -f ($idle.PeakBytes / 1MB))
$put = Invoke-Child put @'
$folders = [math]::Max(1, [long][math]::Floor(REPLACE_COUNT / 1000))
& { for ($i = [long]$From; $i -le [long]$To; $i++) {
        [pscustomobject]@{ Path = "/s/$($i % $folders)/file-$i"; BackendName = 'local'; PhysicalPath = "/data/blobs/$i"
                           Size = $i; ETag = ('{0:x64}' -f $i); MimeType = 'application/octet-stream' } } } | Set-NexusMetadata -Store $s
$result = [long]$To - [long]$From + 1
'@.Replace('REPLACE_COUNT', "$Count")
Write-Figure put_per_second ($PutCount / $put.Seconds) ('{0:N0} records piped in {1:N1} s = {2:N0}/s' -f $PutCount, $put.Seconds, ($PutCount / $put.Seconds))
Write-Figure memory_put_mb ($put.PeakBytes / 1MB) ('{0:N0} MB peak (Set-NexusMetadata, {1:N0} records)' -f ($put.PeakBytes / 1MB), $PutCount)

if ($isSqlite) { Invoke-Sql $store 'ANALYZE' } else { Invoke-Sql $store 'VACUUM ANALYZE file_paths' }
$total = [long](Invoke-Sql $store 'SELECT count(*) FROM file_paths' -Scalar)
if ($total -ne $Count) { throw "the store holds $total records, not $Count" }

# --- get by path: module vs raw floor -----------------------------------------------------------
. (Join-Path $PSScriptRoot 'RawFloor.ps1')
$random = [Random]::new(42)
$paths = [string[]]@(for ($k = 0; $k -lt $Sample; $k++) { $i = 1 + [long]($random.NextDouble() * ($Count - 1)); "/s/$($i % $folders)/file-$i" })
# Warm both once on other paths, then alternate who goes first (best of 3 each).
$null = Invoke-RawGet $store @('/s/1/file-1'); $null = @('/s/1/file-1' | Get-NexusMetadata -Store $store)
$best = @{ module = [double]::MaxValue; raw = [double]::MaxValue }
for ($run = 0; $run -lt 3; $run++) {
    foreach ($who in $(if ($run % 2) { 'raw', 'module' } else { 'module', 'raw' })) {
        [GC]::Collect()
        $s = if ($who -eq 'module') {
            (Measure-Command { $n = @($paths | Get-NexusMetadata -Store $store).Count; if ($n -ne $Sample) { throw "module found $n of $Sample" } }).TotalSeconds
        } else {
            (Measure-Command { $n = Invoke-RawGet $store $paths; if ($n -ne $Sample) { throw "raw found $n of $Sample" } }).TotalSeconds
        }
        $best[$who] = [math]::Min($best[$who], $s)
    }
}
$report.get_module_ms_per_path = $best.module * 1000 / $Sample
$report.get_raw_ms_per_path = $best.raw * 1000 / $Sample
Write-Figure get_ratio ($best.module / $best.raw) ('{0:N0} random paths piped: module {1:N3} ms/path, raw {2:N3} ms/path, module/raw {3:N2} (target <= 2: {4})' -f
    $Sample, $report.get_module_ms_per_path, $report.get_raw_ms_per_path, ($best.module / $best.raw), $(if ($best.module / $best.raw -le 2) { 'MET' } else { 'MISSED' }))

$prefix = "/s/$([math]::Floor($folders / 2))/"
$best = @{ module = [double]::MaxValue; raw = [double]::MaxValue }
$expected = -1
for ($run = 0; $run -lt 5; $run++) {
    foreach ($who in $(if ($run % 2) { 'raw', 'module' } else { 'module', 'raw' })) {
        [GC]::Collect()
        $n = 0
        $s = if ($who -eq 'module') { (Measure-Command { $n = @(Get-NexusMetadata -Store $store -Prefix $prefix).Count }).TotalSeconds }
        else { (Measure-Command { $n = Invoke-RawPrefix $store $prefix }).TotalSeconds }
        if ($expected -lt 0) { $expected = $n } elseif ($n -ne $expected) { throw "$who listed $n under $prefix, not $expected" }
        $best[$who] = [math]::Min($best[$who], $s)
    }
}
$report.prefix_records = $expected
$report.prefix_module_ms = $best.module * 1000
$report.prefix_raw_ms = $best.raw * 1000
Write-Figure prefix_ratio ($best.module / $best.raw) ('{0:N0} records under {1}: module {2:N1} ms, raw {3:N1} ms, module/raw {4:N2} (target <= 2: {5})' -f
    $expected, $prefix, $report.prefix_module_ms, $report.prefix_raw_ms, ($best.module / $best.raw), $(if ($best.module / $best.raw -le 2) { 'MET' } else { 'MISSED' }))

# --- attribute query ------------------------------------------------------------------------------
$attributed = [long][math]::Floor($Count / 10)
$every = [math]::Max(1, [long][math]::Floor($attributed / 100))
$seconds = (Measure-Command {
    if ($isSqlite) {
        Invoke-Sql $store "PRAGMA cache_size = -1000000;
            INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
            SELECT lower(printf('%s-%s-4%s-8%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2), substr(hex(randomblob(2)), 2), hex(randomblob(6)))), path_id, 'owner', CASE WHEN (size_bytes / 10) % $every = 0 AND size_bytes / 10 / $every BETWEEN 1 AND 100 THEN '""ops""' ELSE printf('""team-%d""', size_bytes % 997) END,
                   created_at, created_at
            FROM file_paths WHERE size_bytes % 10 = 0"
        Invoke-Sql $store 'ANALYZE'
    }
    else {
        Invoke-Sql $store "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
            SELECT gen_random_uuid(), path_id, 'owner', (CASE WHEN (size_bytes / 10) % $every = 0 AND size_bytes / 10 / $every BETWEEN 1 AND 100 THEN '""ops""' ELSE format('""team-%s""', size_bytes % 997) END)::jsonb,
                   created_at, created_at
            FROM file_paths WHERE size_bytes % 10 = 0"
        Invoke-Sql $store 'VACUUM ANALYZE file_metadata'
    }
}).TotalSeconds
Write-Figure attribute_build_seconds $seconds ('{0:N0} owner attributes by SQL in {1:N1} s' -f $attributed, $seconds)
$bestAttr = [double]::MaxValue
for ($run = 0; $run -lt 5; $run++) {
    $s = (Measure-Command { $n = @(Get-NexusMetadata -Store $store -Attribute @{ owner = 'ops' }).Count }).TotalSeconds
    $bestAttr = [math]::Min($bestAttr, $s)
}
$report.attribute_records = $n
Write-Figure attribute_ms ($bestAttr * 1000) ('owner = ops: {0} records in {1:N1} ms (best of 5)' -f $n, ($bestAttr * 1000))

# --- size of the store ----------------------------------------------------------------------------
if ($isSqlite) {
    Invoke-Sql $store 'PRAGMA wal_checkpoint(TRUNCATE)'
    $bytes = (Get-ChildItem "$dbFile*" | Measure-Object Length -Sum).Sum
}
else { $bytes = [long](Invoke-Sql $store 'SELECT pg_database_size(current_database())' -Scalar) }
Write-Figure store_mb ($bytes / 1MB) ('{0:N0} MB ({1:N0} bytes per record, indexes and attributes included)' -f ($bytes / 1MB), ($bytes / $Count))
Disconnect-NexusStore -Store $store

# --- the other streaming cmdlets, each in its own process -----------------------------------------
$childFrom = 0; $childTo = 0
$childOut = Join-Path $WorkFolder "scale-$PID-paths.txt"
Set-Content $childOut $paths
$get = Invoke-Child get '$result = @(Get-Content $Out | Get-NexusMetadata -Store $s).Count'
Write-Figure memory_get_mb ($get.PeakBytes / 1MB) ('{0:N0} MB peak (Get-NexusMetadata, {1} paths piped)' -f ($get.PeakBytes / 1MB), $get.Result)
Remove-Item $childOut
$list = Invoke-Child list '$result = (Get-NexusMetadata -Store $s -Prefix ''/s/'' | Measure-Object).Count'
if ($list.Result -ne $Count) { throw "the whole listing gave $($list.Result) records, not $Count" }
$report.list_all_seconds = $list.Seconds
Write-Figure memory_list_mb ($list.PeakBytes / 1MB) ('{0:N0} MB peak (Get-NexusMetadata -Prefix /s/ | Measure-Object: all {1:N0} records in {2:N1} s = {3:N0}/s)' -f ($list.PeakBytes / 1MB), $list.Result, $list.Seconds, ($list.Result / $list.Seconds))
$attr = Invoke-Child attribute '$result = @(Get-NexusMetadata -Store $s -Attribute @{ owner = ''ops'' }).Count'
Write-Figure memory_attribute_mb ($attr.PeakBytes / 1MB) ('{0:N0} MB peak (Get-NexusMetadata -Attribute, {1} records)' -f ($attr.PeakBytes / 1MB), $attr.Result)
$childOut = Join-Path $WorkFolder "scale-$PID-export"
Remove-Item $childOut -Recurse -Force -ErrorAction SilentlyContinue
$export = Invoke-Child export '$null = Export-NexusData -Store $s -Path $Out -Confirm:$false; $result = 0'
$exportBytes = (Get-ChildItem $childOut -Recurse -File | Measure-Object Length -Sum).Sum
Remove-Item $childOut -Recurse -Force
$report.export_seconds = $export.Seconds
$report.export_mb = $exportBytes / 1MB
Write-Figure export_per_second (($Count + $attributed) / $export.Seconds) ('{0:N1} s for {1:N0} records + {2:N0} attributes = {3:N0} rows/s, {4:N0} MB of NDJSON' -f
    $export.Seconds, $Count, $attributed, (($Count + $attributed) / $export.Seconds), ($exportBytes / 1MB))
Write-Figure memory_export_mb ($export.PeakBytes / 1MB) ('{0:N0} MB peak (Export-NexusData)' -f ($export.PeakBytes / 1MB))

$worst = @('put', 'get', 'list', 'attribute', 'export' | ForEach-Object { $report["memory_$($_)_mb"] - $report.memory_idle_mb } | Measure-Object -Maximum).Maximum
Write-Figure memory_worst_over_idle_mb $worst ('{0:N0} MB: the most any streaming cmdlet rose above idle (target <= 200: {1})' -f $worst, $(if ($worst -le 200) { 'MET' } else { 'MISSED' }))
$report.load_average_end = (Get-Content /proc/loadavg -ErrorAction SilentlyContinue) -replace '^(\S+ \S+ \S+).*', '$1'
if ($isSqlite) { Remove-Item "$dbFile*" -Force -ErrorAction SilentlyContinue }
if ($ReportPath) { $report | ConvertTo-Json | Set-Content $ReportPath }
