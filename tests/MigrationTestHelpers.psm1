# Helpers shared by the tests/Migration*.Tests.ps1 suites: catalog snapshots of a store's schema
# and throwaway copies of the migration source folder (never the repository's own).

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

Import-Module "$PSScriptRoot/TestHelpers.psm1"

<#
.SYNOPSIS
    The store's schema as comparable text lines: tables, columns (type, nullability, default),
    indexes (with their definition) and constraints, read from the database's own catalog.
#>
function Get-SchemaSnapshot {
    param([Parameter(Mandatory)][string] $ConnectionString)
    if ($ConnectionString -like 'sqlite:*') {
        Invoke-TestSql $ConnectionString @"
SELECT 'column|' || m.name || '|' || p.cid || '|' || p.name || '|' || p.type || '|' || p."notnull" || '|' || coalesce(p.dflt_value, '') || '|' || p.pk
  FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid;
SELECT 'index|' || m.name || '|' || i.name || '|' || i."unique" || '|' || i.origin || '|' || i.partial || '|' || coalesce(s.sql, '')
  FROM sqlite_master m, pragma_index_list(m.name) i LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = i.name
  WHERE m.type = 'table' ORDER BY m.name, i.name;
SELECT 'indexcol|' || i.name || '|' || x.seqno || '|' || coalesce(x.name, '') || '|' || x."desc" || '|' || x.coll
  FROM sqlite_master i, pragma_index_xinfo(i.name) x WHERE i.type = 'index' AND x.key = 1 ORDER BY i.name, x.seqno;
SELECT 'fk|' || m.name || '|' || f.id || '|' || f."table" || '|' || f."from" || '|' || f."to" || '|' || f.on_delete
  FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY m.name, f.id;
SELECT 'check|' || name || '|' || ((length(sql) - length(replace(upper(sql), 'CHECK', ''))) / 5)
  FROM sqlite_master WHERE type = 'table' ORDER BY name;
"@
        return
    }
    Invoke-TestSql $ConnectionString @"
SELECT 'column|' || table_name || '|' || column_name || '|' || data_type || '|' || coalesce(character_maximum_length::text, '') || '|' || is_nullable || '|' || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, column_name;
SELECT 'index|' || tablename || '|' || indexname || '|' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname;
SELECT 'constraint|' || conrelid::regclass::text || '|' || conname || '|' || contype::text || '|' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY conrelid::regclass::text, conname;
"@
}

<# The user tables of a store, by name. #>
function Get-TableNames {
    param([Parameter(Mandatory)][string] $ConnectionString)
    if ($ConnectionString -like 'sqlite:*') {
        Invoke-TestSql $ConnectionString "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
    }
    else {
        Invoke-TestSql $ConnectionString "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    }
}

<#
.SYNOPSIS
    Copies the repository's migration source folder to a temp folder and adds test-only
    migrations to the copy: -Extra @{ '0003_slow' = @{ sqlite = @('up sql', 'down sql'); postgres = @(...) } }.
#>
function New-TestMigrationFolder {
    param([hashtable] $Extra = @{})
    $folder = Join-Path $env:NEXUS_TEST_RUN_DIR "scripts-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Copy-Item -Recurse -LiteralPath (Join-Path $PSScriptRoot '../src/Nexus.Core/Migrations/Scripts') -Destination $folder
    foreach ($name in $Extra.Keys) {
        foreach ($dialect in 'sqlite', 'postgres') {
            $up, $down = $Extra[$name][$dialect]
            Set-Content -LiteralPath (Join-Path $folder "$dialect/$name.up.sql") -Value $up -NoNewline
            Set-Content -LiteralPath (Join-Path $folder "$dialect/$name.down.sql") -Value $down -NoNewline
        }
    }
    $folder
}

Export-ModuleMember -Function Get-SchemaSnapshot, Get-TableNames, New-TestMigrationFolder
