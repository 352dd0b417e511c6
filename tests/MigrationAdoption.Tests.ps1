# Adopting stores made by the original Python Nexus (SQLAlchemy create_all, with or without
# Alembic's alembic_version table): fixtures built with plain SQL in the original shape.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
}

Describe 'Adopting an original store on <Dialect>' -ForEach (Get-TestDialects) {
    It 'refuses without -Adopt, naming the switch, and changes nothing' {
        $cs = New-OriginalStore -Dialect $Dialect -Alembic
        try {
            $before = Get-SchemaSnapshot $cs
            $err = $null
            try { Invoke-NexusMigration -ConnectionString $cs 3>$null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.SchemaMismatch,Nexus.PowerShell.InvokeNexusMigrationCommand'
            $err.Exception.Message | Should -Match 'original Nexus.*-Adopt'
            Get-SchemaSnapshot $cs | Should -Be $before
            $warning = $null
            Get-NexusMigration -ConnectionString $cs -WarningVariable warning -WarningAction SilentlyContinue | Out-Null
            "$warning" | Should -Match '-Adopt'
            { Invoke-NexusMigration -ConnectionString $cs -Script } | Should -Throw -ExpectedMessage '*-Adopt*'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }

    It 'adopts a store <Variant>, keeps every row converted, and ends at head with the fresh schema' -ForEach @(
        @{ Variant = 'made by Alembic'; Alembic = $true; NoUpdated = $false }
        @{ Variant = 'made by create_all without file_metadata.updated_at'; Alembic = $false; NoUpdated = $true }
    ) {
        $cs = New-OriginalStore -Dialect $Dialect -Alembic:$Alembic -NoMetadataUpdatedAt:$NoUpdated
        $fresh = New-TestDatabase -Dialect $Dialect
        try {
            $steps = @(Invoke-NexusMigration -ConnectionString $cs -Adopt)
            $steps.Id | Should -Be @('0001', '0002', '0003', '0004')
            $steps[0].IsAdoption | Should -BeTrue

            $journal = @(Invoke-TestSql $cs 'SELECT migration_id, description FROM nexus_schema_journal ORDER BY migration_id')
            $journal.Count | Should -Be 4
            $journal[0] | Should -Match '^0001\|.*adopted from the original Nexus store'
            if ($Alembic) { $journal[0] | Should -Match 'alembic revision 9f1c2d3e4b5a' }
            (Get-NexusMigration -ConnectionString $cs).ChecksumMatches | Should -Be @($true, $true, $true, $true)

            # Same catalog as a store this module made itself (the original's leftovers aside).
            Invoke-NexusMigration -ConnectionString $fresh | Out-Null
            # One difference, for the original running beside the module: its attribute inserts leave out
            # file_metadata.updated_at, which on an adopted store defaults to the time of the insert.
            $updatedAt = '^column\|file_metadata\|(5\|)?updated_at\|'
            $snapshot = Get-SchemaSnapshot $cs | Where-Object { $_ -notmatch 'alembic_version' -and $_ -notmatch $updatedAt }
            $snapshot | Should -Be (Get-SchemaSnapshot $fresh | Where-Object { $_ -notmatch 'alembic_version' -and $_ -notmatch $updatedAt })
            # Migration 0004 leaves the original's alembic_version row as it is, and writes the original's
            # head where the store had no such table.
            Invoke-TestSql $cs 'SELECT version_num FROM alembic_version' | Should -Be $(if ($Alembic) { '9f1c2d3e4b5a' } else { '58d58578fce0' })
            Invoke-TestSql $fresh 'SELECT version_num FROM alembic_version' | Should -Be '58d58578fce0'
            Get-SchemaSnapshot $cs | Where-Object { $_ -match $updatedAt } | Should -Match '\|(strftime|now\(\))'

            # Every row is there, converted.
            if ($Dialect -eq 'sqlite') {
                Invoke-TestSql $cs "SELECT path_id, tenant_id, virtual_path, created_at, updated_at, coalesce(deleted_at, '-'), current_version FROM file_paths ORDER BY path_id" | Should -Be @(
                    # Timestamps keep the text the original wrote (the module reads it as UTC).
                    '11111111-1111-4111-8111-111111111111|00000000-0000-0000-0000-000000000000|/docs/a.txt|2024-03-01 10:20:30.123456|2024-03-02 11:00:00.000001|-|1'
                    '22222222-2222-4222-8222-222222222222|acme|/docs/a.txt|2024-03-01 10:20:30.5|2024-03-01 10:20:30.5|2024-04-01 00:00:00|1')
                Invoke-TestSql $cs "SELECT key, json_extract(value, '$'), updated_at FROM file_metadata ORDER BY key" | Should -Be @(
                    "author|alice|$(if ($NoUpdated) { '2024-03-01 10:20:31.000002' } else { '2024-03-05 08:00:00.25' })"
                    'tags|{"k":[1,2.5,"x"],"n":null}|2024-03-01 10:20:31')
                Invoke-TestSql $cs 'SELECT chunk_id, ref_count, created_at FROM content_chunks' |
                    Should -Be '55555555-5555-4555-8555-555555555555|2|2024-03-01 10:20:30.123456'
                Invoke-TestSql $cs 'PRAGMA foreign_key_check' | Should -BeNullOrEmpty
            }
            else {
                Invoke-TestSql $cs "SET TIME ZONE 'UTC'; SELECT path_id, tenant_id, virtual_path, created_at, updated_at, coalesce(deleted_at::text, '-'), pg_typeof(path_id) FROM file_paths ORDER BY path_id" | Should -Be @(
                    '11111111-1111-4111-8111-111111111111|00000000-0000-0000-0000-000000000000|/docs/a.txt|2024-03-01 10:20:30.123456+00|2024-03-02 11:00:00.000001+00|-|uuid'
                    '22222222-2222-4222-8222-222222222222|acme|/docs/a.txt|2024-03-01 10:20:30.5+00|2024-03-01 10:20:30.5+00|2024-04-01 00:00:00+00|uuid')
                Invoke-TestSql $cs "SET TIME ZONE 'UTC'; SELECT key, value::text, jsonb_typeof(value), updated_at FROM file_metadata ORDER BY key" | Should -Be @(
                    "author|`"alice`"|string|$(if ($NoUpdated) { '2024-03-01 10:20:31.000002+00' } else { '2024-03-05 08:00:00.25+00' })"
                    'tags|{"k": [1, 2.5, "x"], "n": null}|object|2024-03-01 10:20:31+00')
                Invoke-TestSql $cs "SET TIME ZONE 'UTC'; SELECT chunk_id, ref_count, created_at FROM content_chunks" |
                    Should -Be '55555555-5555-4555-8555-555555555555|2|2024-03-01 10:20:30.123456+00'
            }

            # The store cmdlets read the adopted rows like any other.
            $store = Connect-NexusStore $cs -NoDefault
            try {
                $record = Get-NexusMetadata -Store $store -Path /docs/a.txt
                $record.Tenant | Should -Be '00000000-0000-0000-0000-000000000000'
                $record.MimeType | Should -Be 'text/plain'
                $record.Size | Should -Be 12
                $record.CreatedAt | Should -Be ([datetime]::new(2024, 3, 1, 10, 20, 30, [DateTimeKind]::Utc).AddTicks(1234560))
                Get-NexusMetadata -Store $store -Path /docs/a.txt -Tenant acme -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'that record was soft-deleted'
                (Get-NexusMetadata -Store $store -Path /docs/a.txt -Tenant acme -IncludeDeleted).DeletedAt | Should -Be ([datetime]::new(2024, 4, 1, 0, 0, 0, [DateTimeKind]::Utc))
                $attributes = Get-NexusAttribute -Store $store -Path /docs/a.txt
                $attributes.author | Should -Be 'alice'
                $attributes.tags.k | Should -Be @(1, 2.5, 'x')
                (Get-NexusChunk -Store $store -ContentHash h1).RefCount | Should -Be 2
            }
            finally { Disconnect-NexusStore $store }

            # And the store is usable: the foreign key cascades on the new tables.
            $fk = if ($Dialect -eq 'sqlite') { 'PRAGMA foreign_keys=ON; ' } else { '' }
            Invoke-TestSql $cs "$fk DELETE FROM file_paths WHERE path_id = '11111111-1111-4111-8111-111111111111'; SELECT count(*) FROM file_metadata" | Should -Be '0'
        }
        finally {
            Remove-TestDatabase -ConnectionString $cs
            Remove-TestDatabase -ConnectionString $fresh
        }
    }

    It 'refuses a store whose columns do not match, naming the mismatch, changing nothing' {
        $cs = New-OriginalStore -Dialect $Dialect
        try {
            Invoke-TestSql $cs 'ALTER TABLE file_paths ADD COLUMN owner TEXT; ALTER TABLE content_chunks DROP COLUMN storage_path;' | Out-Null
            $before = Get-SchemaSnapshot $cs
            $err = $null
            try { Invoke-NexusMigration -ConnectionString $cs -Adopt } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.SchemaMismatch,Nexus.PowerShell.InvokeNexusMigrationCommand'
            $err.Exception.Message | Should -Match 'content_chunks\.storage_path is missing'
            $err.Exception.Message | Should -Match 'file_paths\.owner is not an original column'
            $err.Exception.Message | Should -Match 'nothing was changed'
            Get-SchemaSnapshot $cs | Should -Be $before
            Get-TableNames $cs | Should -Not -Contain 'nexus_schema_journal'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }

    It 'refuses rows it cannot keep (a NULL-tenant path that also exists under the default tenant)' {
        $cs = New-OriginalStore -Dialect $Dialect
        try {
            Invoke-TestSql $cs "INSERT INTO file_paths VALUES ('66666666-6666-4666-8666-666666666666', '00000000-0000-0000-0000-000000000000', '/docs/a.txt', 'local', '/data/c', NULL, 1, NULL, '2024-01-01 00:00:00', '2024-01-01 00:00:00', NULL)" | Out-Null
            { Invoke-NexusMigration -ConnectionString $cs -Adopt } | Should -Throw -ExpectedMessage "*nothing was changed*without a tenant also exist under tenant '00000000-0000-0000-0000-000000000000'*"
            @(Invoke-TestSql $cs 'SELECT count(*) FROM file_paths') | Should -Be '3'
            Get-TableNames $cs | Should -Not -Contain 'nexus_schema_journal'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }
}
