# The pieces of migrating that each database supplies (src/Nexus.Core/Dialects/<Provider>/*MigrationSql.cs):
# the framing of the offline script and the conversion of the original store's naive timestamps.
# The other pieces (lock, journal, adoption checks and defaults) are covered by Migration.Tests.ps1,
# MigrationAdoption.Tests.ps1 and TrustMigrations.Tests.ps1.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
}

Describe 'What the database supplies to migrating, on <Dialect>' -ForEach (Get-TestDialects) {
    It 'frames the offline script for the database: SQLite turns foreign keys off around the steps and checks them in each; PostgreSQL needs neither' {
        $cs = New-TestDatabase -Dialect $Dialect
        try {
            $sql = Invoke-NexusMigration -ConnectionString $cs -Script
            $steps = [regex]::Matches($sql, '(?m)^BEGIN;$').Count
            $steps | Should -Be 4
            if ($Dialect -eq 'sqlite') {
                $sql | Should -Match '^-- Nexus migration script \(SQLite\) for '
                $sql | Should -Match '(?s)\nPRAGMA foreign_keys=OFF;\n\n-- 0001_initial_schema \(up\)\nBEGIN;\n'
                [regex]::Matches($sql, '\nPRAGMA foreign_key_check;\nCOMMIT;\n').Count | Should -Be $steps
                $sql | Should -Match '\nCOMMIT;\n\nPRAGMA foreign_keys=ON;\n$'
                $sql | Should -Match ("(?s)" + [regex]::Escape("'0001_initial_schema', ") + ".*, strftime\('%Y-%m-%dT%H:%M:%f000Z', 'now'\), '")
            }
            else {
                $sql | Should -Match '^-- Nexus migration script \(PostgreSQL\) for '
                $sql | Should -Not -Match 'PRAGMA'
                $sql | Should -Match ("(?s)" + [regex]::Escape("'0001_initial_schema', ") + '.*, now\(\), ''')
                $sql | Should -Match '\nCOMMIT;\n$'
            }
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }

    It 'adopts the original''s naive timestamps as UTC even where the database''s session time zone is another' -Skip:($Dialect -ne 'postgres') {
        $cs = New-OriginalStore -Dialect $Dialect -Alembic
        try {
            $database = [regex]::Match($cs, '/(nexus_t_[0-9a-f]+)(\?|$)').Groups[1].Value
            $database | Should -Not -BeNullOrEmpty
            Invoke-TestSql $cs "ALTER DATABASE $database SET timezone TO 'America/New_York'" | Out-Null
            Invoke-NexusMigration -ConnectionString $cs -Adopt 3>$null | Out-Null
            Invoke-TestSql $cs "SET TIME ZONE 'UTC'; SELECT chunk_id, created_at FROM content_chunks" |
                Should -Be '55555555-5555-4555-8555-555555555555|2024-03-01 10:20:30.123456+00'
            Invoke-TestSql $cs "SET TIME ZONE 'UTC'; SELECT virtual_path, created_at, deleted_at FROM file_paths WHERE deleted_at IS NOT NULL" |
                Should -Be '/docs/a.txt|2024-03-01 10:20:30.5+00|2024-04-01 00:00:00+00'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }
}
