# Fixtures for the Transfer*.Tests.ps1 suites: stores made with the module's schema and filled
# with plain SQL (no store cmdlets), and row dumps read back with plain SQL, so that what the
# tests compare does not depend on the code under test.
Set-StrictMode -Version 3.0
Import-Module "$PSScriptRoot/TestHelpers.psm1"
$ErrorActionPreference = 'Stop'

# Creates an empty store of the dialect at the module's newest schema; returns its URL.
function New-FixtureStore([ValidateSet('sqlite', 'postgres')][string] $Dialect) {
    $cs = New-TestDatabase -Dialect $Dialect
    $store = Connect-NexusStore $cs -NoDefault -WarningAction SilentlyContinue
    if (-not $store.IsSchemaCurrent) { Invoke-NexusMigration -Store $store -Confirm:$false | Out-Null }
    Disconnect-NexusStore -Store $store
    $cs
}

# Ids of the sample rows.
$script:Ids = @{
    Report   = '10000000-0000-4000-8000-000000000001'
    Unicode  = '10000000-0000-4000-8000-000000000002'
    OtherTenant = '10000000-0000-4000-8000-000000000003'
}

# Every attribute value shape: nested objects (keys out of order, a repeated key), arrays,
# strings with escapes and non-BMP characters, integers, decimals, exponents, big numbers,
# booleans, JSON null, SQL NULL, empty containers.
$script:Shapes = [ordered]@{
    nested   = '{"b": {"z": [1, 2, {"y": null}], "a": "x"}, "a": 1}'
    array    = '[1, "two", 3.5, true, false, null, [], {}]'
    string   = '"héllo \"quoted\" \\ back\nline 😀 日本"'
    integer  = '42'
    decimal  = '-0.000123'
    exponent = '1.5e3'
    scale    = '2.50'
    boolean  = 'true'
    jsonnull = 'null'
    sqlnull  = $null
    empty    = '{}'
    bignum   = '123456789012345678901234567890'
    repeated = '{"k": 1, "k": 2}'
}

function Get-FixtureShapes { $script:Shapes }
function Get-FixtureIds { $script:Ids }

# Three file records (two tenants, one soft-deleted, a Unicode path, a size above 2^53), an
# attribute of every shape on the first and a few on the others, and two chunks.
function Add-FixtureRows([string] $ConnectionString) {
    $i = 0
    $attributes = foreach ($key in $script:Shapes.Keys) {
        $i++
        $value = $script:Shapes[$key]
        $literal = if ($null -eq $value) { 'NULL' } else { "'" + $value.Replace("'", "''") + "'" }
        "('20000000-0000-4000-8000-$($i.ToString('d12'))', '$($script:Ids.Report)', '$key', $literal, '2024-02-01T00:00:00.000000Z', '2024-02-0$(1 + $i % 9)T00:00:00.000007Z')"
    }
    Invoke-TestSql $ConnectionString @"
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version) VALUES
 ('$($script:Ids.Report)', 'tenant-a', '/docs/report.pdf', 'local', '/srv/a/1', 'application/pdf', 1024, 'hash-1', '2024-01-02T03:04:05.123456Z', '2024-01-02T03:04:05.654321Z', NULL, 1),
 ('$($script:Ids.Unicode)', 'tenant-a', '/données/日本語/😀 file''s "name".txt', 'local', '/srv/a/2', NULL, 0, NULL, '2024-01-01T00:00:00.000001Z', '2024-01-01T00:00:00.000001Z', '2024-05-01T10:00:00.000000Z', 3),
 ('$($script:Ids.OtherTenant)', 'tenant-b', '/docs/report.pdf', 's3', '/bucket/3', 'text/plain', 9007199254740993, 'hash-2', '1999-12-31T23:59:59.999999Z', '2030-01-01T00:00:00.000000Z', NULL, 2);
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES
 $($attributes -join ",`n ");
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at) VALUES
 ('30000000-0000-4000-8000-000000000001', '$($script:Ids.Unicode)', 'clé 🔑', '{"ü": "ß"}', '2024-03-01T00:00:00.000000Z', '2024-03-01T00:00:00.000000Z'),
 ('30000000-0000-4000-8000-000000000002', '$($script:Ids.OtherTenant)', 'owner', '{"name": "bob", "uid": 1000}', '2024-03-01T00:00:00.000000Z', '2024-03-01T00:00:00.000000Z');
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until) VALUES
 ('40000000-0000-4000-8000-000000000001', 'hash-1', 1024, '/chunks/h1', 1, '2024-01-02T03:04:05.000000Z', '2024-06-01T00:00:00.500000Z', NULL),
 ('40000000-0000-4000-8000-000000000002', 'hash-orphan', 7, '/chunks/ho', 0, '2024-01-02T03:04:05.000000Z', NULL, '2024-07-01T00:00:00.000000Z');
"@ | Out-Null
}

# Rows of a table as text, the same form in both dialects: ids lowercase, timestamps as
# yyyy-MM-ddTHH:mm:ss.ffffffZ, JSON as text (compare with ConvertTo-SortedJson), sorted.
function Get-TableDump([string] $ConnectionString, [string] $Table) {
    $pg = $ConnectionString -match '^postgres'
    $ts = { param($c) if ($pg) { "coalesce(to_char($c AT TIME ZONE 'UTC', 'YYYY-MM-DD""T""HH24:MI:SS.US""Z""'), 'NULL')" } else { "coalesce($c, 'NULL')" } }
    $tx = { param($c) "coalesce($c, 'NULL')" }
    $id = { param($c) if ($pg) { "$c::text" } else { $c } }
    $columns = switch ($Table) {
        'file_paths' { (& $id 'path_id'), 'tenant_id', 'virtual_path', 'backend_id', 'physical_path', (& $tx 'file_type'), 'size_bytes', (& $tx 'content_hash'), (& $ts 'created_at'), (& $ts 'updated_at'), (& $ts 'deleted_at'), 'current_version' }
        'file_metadata' { (& $id 'metadata_id'), (& $id 'path_id'), 'key', (& $ts 'created_at'), (& $ts 'updated_at') }
        'content_chunks' { (& $id 'chunk_id'), 'content_hash', 'size_bytes', 'storage_path', 'ref_count', (& $ts 'created_at'), (& $ts 'last_accessed_at'), (& $ts 'protected_until') }
    }
    $separator = if ($pg) { " || '|' || " } else { " || '|' || " }
    @(Invoke-TestSql $ConnectionString "SELECT $(($columns | ForEach-Object { "($_)" }) -join $separator) FROM $Table") | Sort-Object -Culture '' 
}

# Attribute values by "path_id/key" → JSON text (or $null for SQL NULL).
function Get-AttributeValues([string] $ConnectionString) {
    $pg = $ConnectionString -match '^postgres'
    $sql = if ($pg) { "SELECT path_id::text || '/' || key || '|' || coalesce(value::text, '<NULL>') FROM file_metadata" }
           else { "SELECT path_id || '/' || key || '|' || coalesce(value, '<NULL>') FROM file_metadata" }
    $map = @{}
    foreach ($line in Invoke-TestSql $ConnectionString $sql) {
        $at = $line.IndexOf('|')
        $value = $line.Substring($at + 1)
        $map[$line.Substring(0, $at)] = if ($value -eq '<NULL>') { $null } else { $value }
    }
    $map
}

# JSON in one text form, keys sorted recursively, numbers as decimals: for comparisons that
# do not rely on the module's own canonical form.
function ConvertTo-SortedJson([string] $Json) {
    if ($null -eq $Json) { return '<SQL NULL>' }
    $value = ConvertFrom-Json -InputObject $Json -AsHashtable -NoEnumerate
    ConvertTo-Json -InputObject (Sort-JsonValue $value) -Compress -Depth 50
}

function Sort-JsonValue($Value) {
    if ($Value -is [System.Collections.IDictionary]) {
        $o = [ordered]@{}
        foreach ($k in ($Value.Keys | Sort-Object -Culture '' -CaseSensitive)) { $o[$k] = Sort-JsonValue $Value[$k] }
        return $o
    }
    if ($Value -is [System.Collections.IList]) { return , @($Value | ForEach-Object { Sort-JsonValue $_ }) }
    # Numbers as marked text: 1.5e3 and 1500 both read as 1500; big integers stay exact.
    if ($Value -is [double] -or $Value -is [long] -or $Value -is [int] -or $Value -is [decimal] -or $Value -is [System.Numerics.BigInteger]) { return 'number:' + $Value.ToString([cultureinfo]::InvariantCulture) }
    $Value
}

# Rows per table, by plain SQL.
function Get-RowCounts([string] $ConnectionString) {
    $line = Invoke-TestSql $ConnectionString 'SELECT (SELECT count(*) FROM file_paths) || ''/'' || (SELECT count(*) FROM file_metadata) || ''/'' || (SELECT count(*) FROM content_chunks)'
    $line
}

# A bigger source: $Files file records, 2 attributes each, a chunk per 4 files (SQLite, by SQL).
function Add-BulkRows([string] $ConnectionString, [int] $Files) {
    $uuid = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
    Invoke-TestSql $ConnectionString @"
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $Files)
INSERT INTO file_paths (path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version)
SELECT $uuid, 'tenant-' || (i % 5), '/bulk/' || i, 'local', '/srv/' || i, NULL, i, NULL, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z', NULL, 1 FROM n;
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT $uuid, path_id, 'owner', json_object('uid', rowid), created_at, updated_at FROM file_paths WHERE virtual_path LIKE '/bulk/%';
INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
SELECT $uuid, path_id, 'tags', json_array(rowid % 7, 'x'), created_at, updated_at FROM file_paths WHERE virtual_path LIKE '/bulk/%';
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $([math]::Ceiling($Files / 4)))
INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until)
SELECT $uuid, 'bulk-' || i, 10, '/c/' || i, 1, '2024-01-01T00:00:00.000000Z', NULL, NULL FROM n;
COMMIT;
"@ | Out-Null
}

Export-ModuleMember -Function New-FixtureStore, Add-FixtureRows, Get-TableDump, Get-AttributeValues, ConvertTo-SortedJson,
    Get-RowCounts, Add-BulkRows, Get-FixtureShapes, Get-FixtureIds
