<#
.SYNOPSIS
    Measures the store cmdlets against raw ADO.NET on the same schema, in one process and one run,
    and prints ratios (medians of several runs).
.DESCRIPTION
    What is compared, per dialect (the store given by -ConnectionString):

    put     100,000 records piped into Set-NexusMetadata, against raw ADO.NET writing the same
            records: SQLite, one prepared INSERT reused in one transaction; PostgreSQL, binary
            COPY. Both start from the same in-memory [pscustomobject]s in this PowerShell
            session: the module gets them through the pipeline, the raw baseline through a plain
            foreach loop that sets the parameters (or COPY fields) from each object's properties.
            That is the work a script does either way; the raw loop is the leanest PowerShell can
            drive ADO.NET. The table is emptied before each put (both insert into an empty table).
    get     100,000 paths piped into Get-NexusMetadata, against raw prepared point lookups (one
            SELECT per path, the row read with GetValues) in a foreach loop. The module batches
            lookups (1,000 paths per statement on PostgreSQL), so on a server it can beat the
            one-round-trip-per-path baseline.
    prefix  Get-NexusMetadata -Prefix over 10,000 of the 100,000 records, against the raw range
            query (same WHERE/ORDER BY, rows read with GetValues into a list).
    memory  In separate child processes: the peak working set of a session that has imported the
            module and connected (idle), and of one that then pipes 100,000 generated records
            into Set-NexusMetadata (streamed, not held in memory).

    Ratio = raw time / module time (rate relative to raw; 1.0 = as fast as raw). Medians of -Runs.
.PARAMETER ConnectionString
    sqlite:////abs/file.db (a new file is made per run beside it) or postgresql://… (emptied).
.EXAMPLE
    bash scripts/bench-store.sh            # builds, starts a throwaway PostgreSQL, runs both
.EXAMPLE
    pwsh scripts/bench/Measure-StoreSpeed.ps1 -ConnectionString sqlite:////tmp/bench.db -Runs 3
#>
param(
    [Parameter(Mandatory)][string] $ConnectionString,
    [int] $Count = 100000,
    [int] $PrefixCount = 10000,
    [int] $Runs = 3,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Nexus/Nexus.psd1')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$isSqlite = $ConnectionString -like 'sqlite:*'
$dialect = if ($isSqlite) { 'sqlite' } else { 'postgres' }
$tenant = '00000000-0000-0000-0000-000000000000'
$folders = [math]::Max(1, [int]($Count / $PrefixCount))

function Open-BenchStore([int] $Run) {
    $cs = $ConnectionString
    if ($isSqlite) {
        $cs = $ConnectionString -replace '\.db$', "-run$Run.db"
        $file = $cs -replace '^sqlite:///', ''
        Remove-Item "$file*" -Force -ErrorAction SilentlyContinue
    }
    $store = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
    $null = Invoke-NexusMigration -Store $store -Confirm:$false
    $store
}

function Clear-Table($store) {
    $c = $store.OpenConnection('Write')
    try {
        $cmd = $c.CreateCommand()
        $cmd.CommandText = if ($isSqlite) { 'DELETE FROM file_metadata; DELETE FROM file_paths' } else { 'TRUNCATE file_paths CASCADE' }
        $null = $cmd.ExecuteNonQuery()
        if ($isSqlite) { $cmd.CommandText = 'PRAGMA wal_checkpoint(TRUNCATE)'; $null = $cmd.ExecuteNonQuery() }
        else { $cmd.CommandText = 'VACUUM ANALYZE file_paths'; $null = $cmd.ExecuteNonQuery() }
    }
    finally { $c.Dispose() }
}

function Invoke-RawPut($store, $records) {
    $c = $store.OpenConnection('Write')
    try {
        $now = [datetime]::UtcNow
        if ($isSqlite) {
            $tx = $c.BeginTransaction()
            $cmd = $c.CreateCommand()
            $cmd.Transaction = $tx
            $cmd.CommandText = 'INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version) VALUES (@id, @t, @p, @b, @ph, @ty, @s, @h, @now, @now, NULL, 1)'
            $p = foreach ($n in 'id', 't', 'p', 'b', 'ph', 'ty', 's', 'h', 'now') { $x = $cmd.CreateParameter(); $x.ParameterName = "@$n"; $null = $cmd.Parameters.Add($x); $x }
            $p[8].Value = $now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'")
            $cmd.Prepare()
            foreach ($r in $records) {
                $p[0].Value = [guid]::NewGuid().ToString()
                $p[1].Value = $tenant
                $p[2].Value = $r.Path
                $p[3].Value = $r.BackendName
                $p[4].Value = $r.PhysicalPath
                $p[5].Value = $r.MimeType
                $p[6].Value = $r.Size
                $p[7].Value = $r.ETag
                $null = $cmd.ExecuteNonQuery()
            }
            $tx.Commit()
        }
        else {
            $w = $c.BeginBinaryImport('COPY file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, current_version) FROM STDIN (FORMAT BINARY)')
            foreach ($r in $records) {
                $w.StartRow()
                $w.Write([guid]::NewGuid())
                $w.Write($tenant)
                $w.Write($r.Path)
                $w.Write($r.BackendName)
                $w.Write($r.PhysicalPath)
                $w.Write($r.MimeType)
                $w.Write([long]$r.Size)
                $w.Write($r.ETag)
                $w.Write($now)
                $w.Write($now)
                $w.Write([int]1)
            }
            $null = $w.Complete()
            $w.Dispose()
        }
    }
    finally { $c.Dispose() }
}

# The raw ADO.NET floor of get and prefix (shared with Measure-StoreScale.ps1).
. (Join-Path $PSScriptRoot 'RawFloor.ps1')

function Get-Median([double[]] $values) {
    $sorted = @($values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

Write-Host "bench: $dialect, $Count records, $Runs runs, $([Environment]::ProcessorCount) cores, $((Get-Content /proc/cpuinfo -ErrorAction SilentlyContinue | Select-String 'model name' | Select-Object -First 1) -replace '.*:\s*', '')"
$records = foreach ($i in 1..$Count) {
    [pscustomobject]@{
        Path = "/bench/$($i % $folders)/file-$i.bin"; BackendName = 'local'; PhysicalPath = "/data/blobs/$i"
        Size = [long]$i; ETag = ('{0:x64}' -f $i); MimeType = 'application/octet-stream'
    }
}
$paths = [string[]]($records | ForEach-Object Path)
$PrefixCount = @($paths | Where-Object { $_.StartsWith('/bench/1/') }).Count
$results = @{ put = @(); get = @(); prefix = @() }

for ($run = 1; $run -le $Runs; $run++) {
    $store = Open-BenchStore $run
    Clear-Table $store
    # Alternate who goes first so that neither always meets a warm (or cold) cache.
    $order = if ($run % 2) { 'module', 'raw' } else { 'raw', 'module' }
    $t = @{}
    foreach ($who in $order) {
        Clear-Table $store
        [GC]::Collect()
        $t["put-$who"] = if ($who -eq 'module') {
            (Measure-Command { $records | Set-NexusMetadata -Store $store }).TotalSeconds
        } else {
            (Measure-Command { Invoke-RawPut $store $records }).TotalSeconds
        }
    }
    # The table now holds the records of whoever went last; both read the same rows.
    foreach ($who in $order) {
        [GC]::Collect()
        $t["get-$who"] = if ($who -eq 'module') {
            (Measure-Command { $n = @($paths | Get-NexusMetadata -Store $store).Count; if ($n -ne $Count) { throw "module found $n" } }).TotalSeconds
        } else {
            (Measure-Command { $n = Invoke-RawGet $store $paths; if ($n -ne $Count) { throw "raw found $n" } }).TotalSeconds
        }
    }
    foreach ($who in $order) {
        $best = [double]::MaxValue
        for ($k = 0; $k -lt 5; $k++) {
            [GC]::Collect()
            $s = if ($who -eq 'module') {
                (Measure-Command { $n = @(Get-NexusMetadata -Store $store -Prefix '/bench/1/').Count; if ($n -ne $PrefixCount) { throw "module listed $n" } }).TotalSeconds
            } else {
                (Measure-Command { $n = Invoke-RawPrefix $store '/bench/1/'; if ($n -ne $PrefixCount) { throw "raw listed $n" } }).TotalSeconds
            }
            $best = [math]::Min($best, $s)
        }
        $t["prefix-$who"] = $best
    }
    Disconnect-NexusStore -Store $store
    foreach ($k in 'put', 'get', 'prefix') {
        $results[$k] += [pscustomobject]@{ Module = $t["$k-module"]; Raw = $t["$k-raw"]; Ratio = $t["$k-raw"] / $t["$k-module"] }
    }
    Write-Host ("bench: run {0}: put module {1:N2}s raw {2:N2}s | get module {3:N2}s raw {4:N2}s | prefix module {5:N3}s raw {6:N3}s" -f $run,
        $t['put-module'], $t['put-raw'], $t['get-module'], $t['get-raw'], $t['prefix-module'], $t['prefix-raw'])
}

# Memory: fresh child sessions, idle vs. while piping 100k generated records.
$pwsh = (Get-Process -Id $PID).Path
$prefixArgs = @()
if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $prefixArgs += [Environment]::GetCommandLineArgs()[0] }
$memCs = if ($isSqlite) { $ConnectionString -replace '\.db$', '-mem.db' } else { $ConnectionString }
if ($isSqlite) { Remove-Item (($memCs -replace '^sqlite:///', '') + '*') -ErrorAction SilentlyContinue }
$memScript = {
    param($module, $cs, $count, $put)
    Import-Module $module
    $s = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
    $null = Invoke-NexusMigration -Store $s -Confirm:$false
    $null = Get-NexusMetadata -Prefix '/none/'
    if ($put) {
        1..$count | ForEach-Object { [pscustomobject]@{ Path = "/mem/$_"; Size = $_; ETag = 'e'; MimeType = 'x/y' } } | Set-NexusMetadata
    }
    [GC]::Collect()
    [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
}
$memory = foreach ($put in $false, $true) {
    $file = [IO.Path]::GetTempFileName() + '.ps1'
    Set-Content $file "param(`$m, `$c, `$n, `$p)`n& {`n$memScript`n} `$m `$c ([int]`$n) ([bool]::Parse(`$p))"
    $out = & $pwsh @prefixArgs -NoProfile -NonInteractive -File $file $ModulePath $memCs $Count $put
    Remove-Item $file
    [long]($out | Select-Object -Last 1)
}
if ($isSqlite) { Remove-Item (($memCs -replace '^sqlite:///', '') + '*') -ErrorAction SilentlyContinue }

$targets = if ($isSqlite) { @{ put = 0.60; get = 0.40 } } else { @{ put = 0.50; get = 0.60 } }
Write-Host ''
Write-Host "bench: $dialect results (median of $Runs runs; ratio = raw time / module time)"
foreach ($k in 'put', 'get', 'prefix') {
    $m = Get-Median $results[$k].Module; $r = Get-Median $results[$k].Raw; $ratio = Get-Median $results[$k].Ratio
    $target = if ($k -eq 'prefix') { 'module within 2x raw time: ratio >= 0.50' } else { "ratio >= $($targets[$k])" }
    $ok = if ($k -eq 'prefix') { $ratio -ge 0.5 } else { $ratio -ge $targets[$k] }
    $rate = if ($k -eq 'prefix') { '' } else { ' ({0:N0}/s module, {1:N0}/s raw)' -f ($Count / $m), ($Count / $r) }
    Write-Host ("bench: {0,-6} module {1,7:N3}s raw {2,7:N3}s ratio {3:N2}{4}  target {5}: {6}" -f $k, $m, $r, $ratio, $rate, $target, $(if ($ok) { 'MET' } else { 'MISSED' }))
}
$delta = ($memory[1] - $memory[0]) / 1MB
Write-Host ("bench: memory idle peak {0:N0} MB, 100k put peak {1:N0} MB, difference {2:N0} MB  target <= 200 MB: {3}" -f ($memory[0] / 1MB), ($memory[1] / 1MB), $delta, $(if ($delta -le 200) { 'MET' } else { 'MISSED' }))
