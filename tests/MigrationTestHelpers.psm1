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
    The tables a store made by the module keeps at base: the journal, and on SQLite the empty
    alembic_version that migration 0004 made (SQLite cannot drop a table on a condition in a
    script, so 0004 down empties its own table and leaves it; see its down script).
#>
function Get-BaseTableNames {
    param([Parameter(Mandatory)][string] $Dialect)
    if ($Dialect -eq 'sqlite') { @('alembic_version', 'nexus_schema_journal') } else { @('nexus_schema_journal') }
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

<# The migration ids in a store's journal, oldest first. #>
function Get-JournalIds([string] $cs) {
    @(Invoke-TestSql $cs 'SELECT migration_id FROM nexus_schema_journal ORDER BY migration_id')
}

<# A store as the original system's SQLAlchemy create_all made it (its three tables, a few rows), optionally with Alembic's table. #>
function New-OriginalStore([string] $Dialect, [switch] $Alembic, [switch] $NoMetadataUpdatedAt) {
    $cs = New-TestDatabase -Dialect $Dialect
    $ts = if ($Dialect -eq 'sqlite') { 'DATETIME' } else { 'TIMESTAMP WITHOUT TIME ZONE' }
    $metaUpdated = if ($NoMetadataUpdatedAt) { '' } else { ",`n    updated_at $ts" }
    $sql = @"
CREATE TABLE file_paths (
    path_id VARCHAR(36) NOT NULL,
    tenant_id VARCHAR(36),
    virtual_path TEXT NOT NULL,
    backend_id VARCHAR(36) NOT NULL,
    physical_path TEXT NOT NULL,
    file_type VARCHAR(50),
    size_bytes BIGINT NOT NULL,
    content_hash VARCHAR(64),
    created_at $ts NOT NULL,
    updated_at $ts NOT NULL,
    deleted_at $ts,
    PRIMARY KEY (path_id),
    CONSTRAINT uq_tenant_virtual_path UNIQUE (tenant_id, virtual_path)
);
CREATE INDEX idx_file_paths_tenant_id ON file_paths (tenant_id);
CREATE INDEX idx_file_paths_backend_id ON file_paths (backend_id);
CREATE INDEX idx_file_paths_content_hash ON file_paths (content_hash);
CREATE TABLE file_metadata (
    metadata_id VARCHAR(36) NOT NULL,
    path_id VARCHAR(36) NOT NULL,
    key VARCHAR(255) NOT NULL,
    value TEXT,
    created_at $ts NOT NULL$metaUpdated,
    PRIMARY KEY (metadata_id),
    FOREIGN KEY(path_id) REFERENCES file_paths (path_id) ON DELETE CASCADE
);
CREATE INDEX idx_file_metadata_path_id ON file_metadata (path_id);
CREATE INDEX idx_file_metadata_key ON file_metadata (key);
CREATE TABLE content_chunks (
    chunk_id VARCHAR(36) NOT NULL,
    content_hash VARCHAR(64) NOT NULL,
    size_bytes BIGINT NOT NULL,
    storage_path TEXT NOT NULL,
    ref_count INTEGER NOT NULL,
    created_at $ts NOT NULL,
    last_accessed_at $ts,
    PRIMARY KEY (chunk_id),
    UNIQUE (content_hash)
);
INSERT INTO file_paths VALUES
 ('11111111-1111-4111-8111-111111111111', NULL, '/docs/a.txt', 'local', '/data/a', 'text/plain', 12, 'h1', '2024-03-01 10:20:30.123456', '2024-03-02 11:00:00.000001', NULL),
 ('22222222-2222-4222-8222-222222222222', 'acme', '/docs/a.txt', 'local', '/data/b', NULL, 0, NULL, '2024-03-01 10:20:30.5', '2024-03-01 10:20:30.5', '2024-04-01 00:00:00');
INSERT INTO file_metadata VALUES
 ('33333333-3333-4333-8333-333333333333', '11111111-1111-4111-8111-111111111111', 'author', '"alice"', '2024-03-01 10:20:31.000002'$(if (-not $NoMetadataUpdatedAt) { ", '2024-03-05 08:00:00.25'" })),
 ('44444444-4444-4444-8444-444444444444', '11111111-1111-4111-8111-111111111111', 'tags', '{"k": [1, 2.5, "x"], "n": null}', '2024-03-01 10:20:31'$(if (-not $NoMetadataUpdatedAt) { ", '2024-03-01 10:20:31'" }));
INSERT INTO content_chunks VALUES
 ('55555555-5555-4555-8555-555555555555', 'h1', 12, '/cas/h1', 2, '2024-03-01 10:20:30.123456', NULL);
"@
    if ($Alembic) {
        $sql += "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));`nINSERT INTO alembic_version VALUES ('9f1c2d3e4b5a');`n"
    }
    Invoke-TestSql $cs $sql | Out-Null
    $cs
}

Export-ModuleMember -Function Get-SchemaSnapshot, Get-TableNames, Get-BaseTableNames, New-TestMigrationFolder, New-OriginalStore, Get-JournalIds
