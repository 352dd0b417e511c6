<#
.SYNOPSIS
    Measures attribute writes and attribute queries against raw ADO.NET on the same schema, in one
    process and one run, and prints ratios.
.DESCRIPTION
    set    -Count [pscustomobject]@{ Path; Key; Value } piped into Set-NexusAttribute (one
           attribute per existing record), against raw ADO.NET upserting the same rows from the
           same objects: SQLite, one prepared INSERT … SELECT path_id … ON CONFLICT reused in one
           transaction; PostgreSQL, binary COPY into a temporary table and one INSERT … SELECT …
           ON CONFLICT. The raw loop converts each value to JSON text with System.Text.Json. The
           attributes are deleted before each side runs. Ratio = raw time / module time (median).
    query  A store of -QueryRecords records with three attributes each (owner, size, tags), built
           with set-based SQL (not the cmdlets), where owner = 'ops' on exactly 100 records.
           Get-NexusMetadata -Attribute @{ owner = 'ops' } is timed (best of 5) and the plan the
           module's SQL gets is printed (MetadataStore.ExplainList). Target: under 50 ms.
.EXAMPLE
    bash scripts/bench-store.sh 3 100000 attributes
.EXAMPLE
    pwsh scripts/bench/Measure-AttributeSpeed.ps1 -ConnectionString sqlite:////tmp/a.db -Count 20000 -QueryRecords 100000
#>
param(
    [Parameter(Mandatory)][string] $ConnectionString,
    [int] $Count = 200000,
    [int] $QueryRecords = 1000000,
    [int] $Runs = 3,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Nexus/Nexus.psd1')
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$isSqlite = $ConnectionString -like 'sqlite:*'
$dialect = if ($isSqlite) { 'sqlite' } else { 'postgres' }
$tenant = '00000000-0000-0000-0000-000000000000'

function Open-BenchStore([string] $Suffix) {
    $cs = $ConnectionString
    if ($isSqlite) {
        $cs = $ConnectionString -replace '\.db$', "-$Suffix.db"
        Remove-Item (($cs -replace '^sqlite:///', '') + '*') -Force -ErrorAction SilentlyContinue
    }
    $store = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
    $null = Invoke-NexusMigration -Store $store -Confirm:$false
    if (-not $isSqlite) { Invoke-Sql $store 'TRUNCATE file_paths CASCADE' }
    $store
}

function Invoke-Sql($store, [string] $sql) {
    $c = $store.OpenConnection('Write')
    try {
        $cmd = $c.CreateCommand(); $cmd.CommandTimeout = 0; $cmd.CommandText = $sql
        $null = $cmd.ExecuteNonQuery()
    }
    finally { $c.Dispose() }
}

function Clear-Attributes($store) {
    Invoke-Sql $store 'DELETE FROM file_metadata'
    if ($isSqlite) { Invoke-Sql $store 'PRAGMA wal_checkpoint(TRUNCATE)' } else { Invoke-Sql $store 'VACUUM ANALYZE file_metadata' }
}

function Invoke-RawSet($store, $items) {
    $c = $store.OpenConnection('Write')
    try {
        $now = [datetime]::UtcNow
        if ($isSqlite) {
            $tx = $c.BeginTransaction()
            $cmd = $c.CreateCommand()
            $cmd.Transaction = $tx
            $cmd.CommandText = 'INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) SELECT @id, path_id, @k, json(@v), @now, @now FROM file_paths WHERE tenant_id = @t AND virtual_path = @p AND deleted_at IS NULL ON CONFLICT (path_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'
            $p = foreach ($n in 'id', 't', 'p', 'k', 'v', 'now') { $x = $cmd.CreateParameter(); $x.ParameterName = "@$n"; $null = $cmd.Parameters.Add($x); $x }
            $p[1].Value = $tenant
            $p[5].Value = $now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'")
            $cmd.Prepare()
            foreach ($r in $items) {
                $p[0].Value = [guid]::NewGuid().ToString()
                $p[2].Value = $r.Path
                $p[3].Value = $r.Key
                $p[4].Value = [System.Text.Json.JsonSerializer]::Serialize($r.Value, $r.Value.GetType(), [System.Text.Json.JsonSerializerOptions]$null)
                $null = $cmd.ExecuteNonQuery()
            }
            $tx.Commit()
        }
        else {
            $tx = $c.BeginTransaction()
            $cmd = $c.CreateCommand(); $cmd.Transaction = $tx
            $cmd.CommandText = 'CREATE TEMP TABLE raw_attrs (path text, key text, value text) ON COMMIT DROP'
            $null = $cmd.ExecuteNonQuery()
            $w = $c.BeginBinaryImport('COPY raw_attrs (path, key, value) FROM STDIN (FORMAT BINARY)')
            foreach ($r in $items) {
                $w.StartRow()
                $w.Write($r.Path)
                $w.Write($r.Key)
                $w.Write([System.Text.Json.JsonSerializer]::Serialize($r.Value, $r.Value.GetType(), [System.Text.Json.JsonSerializerOptions]$null))
            }
            $null = $w.Complete()
            $w.Dispose()
            $cmd.CommandText = "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) SELECT gen_random_uuid(), f.path_id, r.key, r.value::jsonb, now(), now() FROM raw_attrs r JOIN file_paths f ON f.tenant_id = '$tenant' AND f.virtual_path = r.path AND f.deleted_at IS NULL ON CONFLICT (path_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
            $null = $cmd.ExecuteNonQuery()
            $tx.Commit()
        }
    }
    finally { $c.Dispose() }
}

function Get-Median([double[]] $values) {
    $sorted = @($values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Get-AttributeCount($store) {
    $c = $store.OpenConnection('Read')
    try { $cmd = $c.CreateCommand(); $cmd.CommandText = 'SELECT count(*) FROM file_metadata'; [long]$cmd.ExecuteScalar() }
    finally { $c.Dispose() }
}

Write-Host "bench: attributes on $dialect, $Count piped attributes, $Runs runs, query store of $QueryRecords records"

# --- set: Set-NexusAttribute piped against raw upserts --------------------------------------
if ($Count -gt 0) {
    $store = Open-BenchStore 'set'
    1..$Count | ForEach-Object { [pscustomobject]@{ Path = "/attr/$($_ % 100)/file-$_" } } | Set-NexusMetadata -Store $store
    $items = foreach ($i in 1..$Count) { [pscustomobject]@{ Path = "/attr/$($i % 100)/file-$i"; Key = 'owner'; Value = "team-$($i % 50)" } }
    $set = @()
    for ($run = 1; $run -le $Runs; $run++) {
        $order = if ($run % 2) { 'module', 'raw' } else { 'raw', 'module' }
        $t = @{}
        foreach ($who in $order) {
            Clear-Attributes $store
            [GC]::Collect()
            $t[$who] = if ($who -eq 'module') {
                (Measure-Command { $items | Set-NexusAttribute -Store $store }).TotalSeconds
            } else {
                (Measure-Command { Invoke-RawSet $store $items }).TotalSeconds
            }
            $n = Get-AttributeCount $store
            if ($n -ne $Count) { throw "$who stored $n attributes, not $Count" }
        }
        $set += [pscustomobject]@{ Module = $t.module; Raw = $t.raw; Ratio = $t.raw / $t.module }
        Write-Host ("bench: run {0}: set module {1:N2}s raw {2:N2}s" -f $run, $t.module, $t.raw)
    }
    Disconnect-NexusStore -Store $store
    $m = Get-Median $set.Module; $r = Get-Median $set.Raw; $ratio = Get-Median $set.Ratio
    Write-Host ("bench: set    module {0,7:N3}s raw {1,7:N3}s ratio {2:N2} ({3:N0}/s module, {4:N0}/s raw)  target ratio >= 0.50: {5}" -f $m, $r, $ratio, ($Count / $m), ($Count / $r), $(if ($ratio -ge 0.5) { 'MET' } else { 'MISSED' }))
}

# --- query: Get-NexusMetadata -Attribute on a big store ------------------------------------
if ($QueryRecords -gt 0) {
    $store = Open-BenchStore 'query'
    $build = Measure-Command {
        if ($isSqlite) {
            Invoke-Sql $store "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $QueryRecords)
                INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
                SELECT printf('00000000-0000-4000-8000-%012d', i), '$tenant', printf('/q/%d/file-%d', i % 1000, i), 'local', '', NULL, i, NULL, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', NULL, 1 FROM c"
            Invoke-Sql $store "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
                SELECT printf('%s-%s', k.key, f.path_id), f.path_id, k.key,
                       CASE k.key WHEN 'owner' THEN CASE WHEN f.size_bytes % ($QueryRecords / 100) = 0 THEN '""ops""' ELSE printf('""team-%d""', f.size_bytes % 997) END
                                  WHEN 'size' THEN CAST(f.size_bytes AS TEXT)
                                  ELSE printf('[""t%d"",""t%d""]', f.size_bytes % 7, f.size_bytes % 11) END,
                       f.created_at, f.created_at
                FROM file_paths f CROSS JOIN (SELECT 'owner' AS key UNION ALL SELECT 'size' UNION ALL SELECT 'tags') k"
            Invoke-Sql $store 'ANALYZE'
        }
        else {
            Invoke-Sql $store "INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
                SELECT gen_random_uuid(), '$tenant', format('/q/%s/file-%s', i % 1000, i), 'local', '', NULL, i, NULL, now(), now(), NULL, 1 FROM generate_series(1, $QueryRecords) i"
            Invoke-Sql $store "INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
                SELECT gen_random_uuid(), f.path_id, k.key,
                       CASE k.key WHEN 'owner' THEN CASE WHEN f.size_bytes % ($QueryRecords / 100) = 0 THEN '""ops""' ELSE format('""team-%s""', f.size_bytes % 997) END
                                  WHEN 'size' THEN f.size_bytes::text
                                  ELSE format('[""t%s"",""t%s""]', f.size_bytes % 7, f.size_bytes % 11) END::jsonb,
                       f.created_at, f.created_at
                FROM file_paths f CROSS JOIN (VALUES ('owner'), ('size'), ('tags')) k(key)"
            Invoke-Sql $store 'VACUUM ANALYZE'
        }
    }
    Write-Host ("bench: query store built in {0:N1}s: {1:N0} records, {2:N0} attributes" -f $build.TotalSeconds, $QueryRecords, (Get-AttributeCount $store))
    foreach ($q in @(
        @{ Name = 'owner = ops (100 answers)'; Attribute = @{ owner = 'ops' }; Expect = 100 }
        @{ Name = 'tags contains t3, size = 77 (nested + scalar)'; Attribute = @{ tags = 't3'; size = 77 }; Expect = 0 }
    )) {
        $best = [double]::MaxValue
        for ($k = 0; $k -lt 5; $k++) {
            $s = (Measure-Command { $n = @(Get-NexusMetadata -Store $store -Attribute $q.Attribute).Count }).TotalSeconds
            $best = [math]::Min($best, $s)
        }
        # The module loads Nexus.Core in its own context: reach its types through the store's assembly.
        $core = $store.GetType().Assembly
        $records = $core.GetType('Nexus.Core.Engines.MetadataStore')::new($store)
        $query = $core.GetType('Nexus.Core.Store.FileQuery')::new()
        $query.Attributes = [System.Collections.Generic.KeyValuePair[string, string][]]@(foreach ($key in $q.Attribute.Keys) {
            [System.Collections.Generic.KeyValuePair[string, string]]::new($key, [System.Text.Json.JsonSerializer]::Serialize($q.Attribute[$key], $q.Attribute[$key].GetType(), [System.Text.Json.JsonSerializerOptions]$null)) })
        Write-Host "bench: plan of $($q.Name):"
        $records.ExplainList($query) | ForEach-Object { Write-Host "bench:   $_" }
        $verdict = if ($q.Expect -ne 100) { '' } elseif ($best -lt 0.05) { '  target < 50 ms: MET' } else { '  target < 50 ms: MISSED' }
        Write-Host ("bench: query  {0}: {1} records in {2:N1} ms (best of 5){3}" -f $q.Name, $n, ($best * 1000), $verdict)
    }
    Disconnect-NexusStore -Store $store
}
