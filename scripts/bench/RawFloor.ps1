# The raw ADO.NET floor that the store benches time the module against, on the same schema:
# point lookups by path (one prepared SELECT per path) and a prefix range query, rows read with
# GetValues. Dot-source it; it uses the caller's $tenant and $isSqlite.
$columns = 'tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version'
$collate = if ($isSqlite) { '' } else { ' COLLATE "C"' }

function Invoke-RawGet($store, $paths) {
    $c = $store.OpenConnection('Read')
    try {
        $cmd = $c.CreateCommand()
        $cmd.CommandText = "SELECT $columns FROM file_paths WHERE tenant_id = @t AND virtual_path = @p AND deleted_at IS NULL"
        $t = $cmd.CreateParameter(); $t.ParameterName = '@t'; $t.Value = $tenant; $null = $cmd.Parameters.Add($t)
        $p = $cmd.CreateParameter(); $p.ParameterName = '@p'; $p.Value = ''; $null = $cmd.Parameters.Add($p)
        $cmd.Prepare()
        $found = 0
        foreach ($path in $paths) {
            $p.Value = $path
            $reader = $cmd.ExecuteReader()
            if ($reader.Read()) { $row = [object[]]::new(11); $null = $reader.GetValues($row); $found++ }
            $reader.Dispose()
        }
        $found
    }
    finally { $c.Dispose() }
}

function Invoke-RawPrefix($store, [string] $prefix) {
    $c = $store.OpenConnection('Read')
    try {
        $cmd = $c.CreateCommand()
        $cmd.CommandText = "SELECT $columns FROM file_paths WHERE tenant_id = @t AND virtual_path$collate >= @lo AND virtual_path$collate < @hi AND deleted_at IS NULL ORDER BY virtual_path$collate"
        foreach ($pair in @(@('@t', $tenant), @('@lo', $prefix), @('@hi', ($prefix.Substring(0, $prefix.Length - 1) + '0')))) {
            $x = $cmd.CreateParameter(); $x.ParameterName = $pair[0]; $x.Value = $pair[1]; $null = $cmd.Parameters.Add($x)
        }
        $rows = [System.Collections.Generic.List[object]]::new()
        $reader = $cmd.ExecuteReader()
        while ($reader.Read()) { $row = [object[]]::new(11); $null = $reader.GetValues($row); $rows.Add($row) }
        $reader.Dispose()
        $rows.Count
    }
    finally { $c.Dispose() }
}
