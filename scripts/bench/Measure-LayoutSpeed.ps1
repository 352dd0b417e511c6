<#
.SYNOPSIS
    Put and get throughput of one store layout (plain, partitioned or distributed), against the
    raw ADO.NET floor on the same tables; optionally the time of a conversion of the filled store.
.DESCRIPTION
    Run by scripts/bench-layouts.sh once per layout, each time on a fresh empty database (the
    distributed one on a Citus coordinator). The store is migrated and, unless plain, converted to
    -Layout (Convert-NexusStore, while empty). Then, per run:

    put     -Count records (spread over -Tenants tenants, piped grouped by tenant) into
            Set-NexusMetadata; raw floor: binary COPY of the same records (COPY is what Citus and
            partitioned tables load fastest). The table is emptied before each.
    get     the same -Count paths piped into Get-NexusMetadata -Tenant <t>, one call per tenant; raw floor: one
            prepared point lookup per path, timed on the first -RawGetCount pairs (a round trip
            each: on Citus through the coordinator), given as a rate.

    -ConvertTo: after the runs, Convert-NexusStore of the filled store (plus one attribute per
    record, added in SQL) to that layout, timed.
    The last line is a JSON object with every figure (bench-layouts.sh gathers them).
.EXAMPLE
    bash scripts/bench-layouts.sh              # all three layouts and the conversion, one run
#>
param(
    [Parameter(Mandatory)][string] $ConnectionString,
    [Parameter(Mandatory)][ValidateSet('plain', 'partitioned', 'distributed')][string] $Layout,
    [int] $Count = 100000,
    [int] $Tenants = 16,
    [int] $Partitions = 16,
    [int] $Runs = 1,
    [int] $RawGetCount = 10000,
    [ValidateSet('', 'plain', 'partitioned', 'distributed')][string] $ConvertTo = '',
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Nexus/Nexus.psd1')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$store = Connect-NexusStore -ConnectionString $ConnectionString -NoDefault -WarningAction SilentlyContinue
$null = Invoke-NexusMigration -Store $store -Confirm:$false
if ($Layout -ne 'plain') {
    $null = Convert-NexusStore -Store $store -Layout $Layout -Partitions $Partitions -Confirm:$false
}
if ($store.Layout.Name -ne $Layout) { throw "the store is $($store.Layout), not $Layout" }
Write-Host "bench: $Layout ($($store.Layout)), $Count records over $Tenants tenants, $Runs run(s), $([Environment]::ProcessorCount) cores"

# Grouped by tenant, as a script that loads one tenant after another would pipe them.
$records = foreach ($i in 0..($Count - 1)) {
    $t = [int][math]::Floor($i * $Tenants / $Count)
    [pscustomobject]@{
        Tenant = "tenant-$t"; Path = "/bench/$($i % 100)/file-$i.bin"; BackendName = 'local'; PhysicalPath = "/data/blobs/$i"
        Size = [long]$i; ETag = ('{0:x64}' -f $i); MimeType = 'application/octet-stream'
    }
}
$keys = @($records | ForEach-Object { [pscustomobject]@{ Tenant = $_.Tenant; Path = $_.Path } })
# The gets name the tenant on the command line, one call per tenant, paths piped as strings.
# (Piping objects with both Tenant and Path properties into Get-NexusMetadata is refused as an
# ambiguous parameter set.)
$pathsByTenant = [ordered]@{}
foreach ($group in $records | Group-Object Tenant) { $pathsByTenant[$group.Name] = [string[]]($group.Group | ForEach-Object Path) }
function Get-AllRecords {
    $n = 0
    foreach ($tenant in $pathsByTenant.Keys) { $n += @($pathsByTenant[$tenant] | Get-NexusMetadata -Store $store -Tenant $tenant).Count }
    $n
}

function Invoke-Sql([string] $Sql) {
    $c = $store.OpenConnection('Write')
    try { $cmd = $c.CreateCommand(); $cmd.CommandText = $Sql; $cmd.CommandTimeout = 600; $null = $cmd.ExecuteNonQuery() }
    finally { $c.Dispose() }
}

function Clear-Store {
    Invoke-Sql 'TRUNCATE file_paths CASCADE'
    Invoke-Sql 'VACUUM ANALYZE file_paths'
}

function Invoke-RawPut {
    $c = $store.OpenConnection('Write')
    try {
        $now = [datetime]::UtcNow
        $w = $c.BeginBinaryImport('COPY file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, current_version) FROM STDIN (FORMAT BINARY)')
        foreach ($r in $records) {
            $w.StartRow()
            $w.Write([guid]::NewGuid())
            $w.Write($r.Tenant)
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
    finally { $c.Dispose() }
}

function Invoke-RawGet([object[]] $Pairs) {
    $c = $store.OpenConnection('Read')
    try {
        $cmd = $c.CreateCommand()
        $cmd.CommandText = 'SELECT tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version FROM file_paths WHERE tenant_id = @t AND virtual_path = @p AND deleted_at IS NULL'
        $t = $cmd.CreateParameter(); $t.ParameterName = '@t'; $t.Value = ''; $null = $cmd.Parameters.Add($t)
        $p = $cmd.CreateParameter(); $p.ParameterName = '@p'; $p.Value = ''; $null = $cmd.Parameters.Add($p)
        $cmd.Prepare()
        $found = 0
        foreach ($pair in $Pairs) {
            $t.Value = $pair.Tenant; $p.Value = $pair.Path
            $reader = $cmd.ExecuteReader()
            if ($reader.Read()) { $row = [object[]]::new(11); $null = $reader.GetValues($row); $found++ }
            $reader.Dispose()
        }
        $found
    }
    finally { $c.Dispose() }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object); $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$rawSample = @($keys | Get-Random -Count ([math]::Min($RawGetCount, $Count)) -SetSeed 13)
$t = @{ 'put-module' = @(); 'put-raw' = @(); 'get-module' = @(); 'get-raw' = @() }
for ($run = 1; $run -le $Runs; $run++) {
    # The raw put first, the module's last: the module's records are then the ones read.
    Clear-Store; [GC]::Collect()
    $t['put-raw'] += (Measure-Command { Invoke-RawPut }).TotalSeconds
    Clear-Store; [GC]::Collect()
    $t['put-module'] += (Measure-Command { $records | Set-NexusMetadata -Store $store }).TotalSeconds
    Invoke-Sql 'ANALYZE file_paths'
    [GC]::Collect()
    $t['get-module'] += (Measure-Command { $n = Get-AllRecords; if ($n -ne $Count) { throw "module found $n of $Count" } }).TotalSeconds
    [GC]::Collect()
    $t['get-raw'] += (Measure-Command { $n = Invoke-RawGet $rawSample; if ($n -ne $rawSample.Count) { throw "raw found $n of $($rawSample.Count)" } }).TotalSeconds
    Write-Host ("bench: {0} run {1}: put module {2:N1}s raw {3:N1}s | get module {4:N1}s, raw {5:N1}s for {6:N0}" -f $Layout, $run,
        $t['put-module'][-1], $t['put-raw'][-1], $t['get-module'][-1], $t['get-raw'][-1], $rawSample.Count)
}

$figures = [ordered]@{
    layout            = "$($store.Layout)"
    records           = $Count
    tenants           = $Tenants
    runs              = $Runs
    put_module_per_s  = [int]($Count / (Get-Median $t['put-module']))
    put_raw_per_s     = [int]($Count / (Get-Median $t['put-raw']))
    get_module_per_s  = [int]($Count / (Get-Median $t['get-module']))
    get_raw_per_s     = [int]($rawSample.Count / (Get-Median $t['get-raw']))
}
if ($ConvertTo) {
    # One attribute per record too (added in SQL, as the plain tables have them), so that the
    # conversion copies and checks both keyed tables.
    if ($Layout -eq 'plain') {
        Invoke-Sql "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) SELECT gen_random_uuid(), path_id, 'n', to_jsonb(size_bytes), created_at, created_at FROM file_paths"
        Invoke-Sql 'ANALYZE file_metadata'
    }
    [GC]::Collect()
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $result = Convert-NexusStore -Store $store -Layout $ConvertTo -Partitions $Partitions -Confirm:$false
    $watch.Stop()
    if (-not $result.Converted -or $result.Layout -ne $ConvertTo) { throw "Convert-NexusStore did not convert: $($result | Out-String)" }
    $figures['convert_to'] = $ConvertTo
    $figures['convert_rows'] = $result.Rows
    $figures['convert_seconds'] = [math]::Round($watch.Elapsed.TotalSeconds, 1)
    $figures['convert_records_per_s'] = [int]($result.Rows['file_paths'] / $watch.Elapsed.TotalSeconds)
    Write-Host ("bench: Convert-NexusStore {0} -> {1} of {2:N0} records: {3:N1}s" -f $Layout, $ConvertTo, $result.Rows['file_paths'], $watch.Elapsed.TotalSeconds)
}
Disconnect-NexusStore -Store $store
$figures | ConvertTo-Json -Compress
