# New-NexusMigration and the migration source folder: scaffolding into a temp copy (never the
# repository), name collisions, and the build check that every migration has its four files.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    $repoScripts = Join-Path $PSScriptRoot '../src/Nexus.Core/Migrations/Scripts'
}

Describe 'New-NexusMigration' {
    BeforeEach {
        $folder = New-TestMigrationFolder
        $repoBefore = @(Get-ChildItem -Recurse -File -LiteralPath $repoScripts).Count
    }
    AfterEach {
        @(Get-ChildItem -Recurse -File -LiteralPath $repoScripts).Count | Should -Be $repoBefore -Because 'tests never write into the repository'
    }

    It 'scaffolds the next id''s four files with header comments' {
        $files = @(New-NexusMigration -Name 'Add owner index' -Path $folder)
        $files.Count | Should -Be 4
        $files | ForEach-Object { $_ | Should -BeOfType [System.IO.FileInfo] }
        ($files | ForEach-Object { "$($_.Directory.Name)/$($_.Name)" } | Sort-Object) | Should -Be @(
            'postgres/0005_add_owner_index.down.sql', 'postgres/0005_add_owner_index.up.sql',
            'sqlite/0005_add_owner_index.down.sql', 'sqlite/0005_add_owner_index.up.sql')
        $up = Get-Content -Raw -LiteralPath (Join-Path $folder 'sqlite/0005_add_owner_index.up.sql')
        $up | Should -Match '^-- Migration 0005: Add owner index'
        $up | Should -Match '-- Description: Add owner index'
        Get-Content -Raw -LiteralPath (Join-Path $folder 'postgres/0005_add_owner_index.down.sql') | Should -Match '^-- Migration 0005: Add owner index \(down\)'
    }

    It 'refuses a name that exists already, and -WhatIf writes nothing' {
        { New-NexusMigration -Name 'versions protection and lookups' -Path $folder } |
            Should -Throw -ExpectedMessage "*'versions_protection_and_lookups' exists already (0002_versions_protection_and_lookups)*" -ErrorId 'Nexus.AlreadyExists,Nexus.PowerShell.NewNexusMigrationCommand'
        New-NexusMigration -Name 'something new' -Path $folder -WhatIf
        Get-ChildItem -Recurse -LiteralPath $folder -Filter '0005_*' | Should -BeNullOrEmpty
    }

    It 'asks for -Path when it cannot find a source tree' {
        { New-NexusMigration -Name 'x' -Path (Join-Path $folder 'nope') } | Should -Throw -ExpectedMessage '*does not exist*-Path*'
    }

    It 'gives a migration that runs from the source folder (-MigrationPath) on both dialects and back' -ForEach (Get-TestDialects) {
        New-NexusMigration -Name 'add owner index' -Path $folder | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'sqlite/0005_add_owner_index.up.sql') -Value 'CREATE INDEX idx_file_paths_owner ON file_paths (backend_id, tenant_id);'
        Set-Content -LiteralPath (Join-Path $folder 'sqlite/0005_add_owner_index.down.sql') -Value 'DROP INDEX idx_file_paths_owner;'
        Set-Content -LiteralPath (Join-Path $folder 'postgres/0005_add_owner_index.up.sql') -Value 'CREATE INDEX idx_file_paths_owner ON file_paths (backend_id, tenant_id);'
        Set-Content -LiteralPath (Join-Path $folder 'postgres/0005_add_owner_index.down.sql') -Value 'DROP INDEX idx_file_paths_owner;'
        $cs = New-TestDatabase -Dialect $Dialect
        try {
            Invoke-NexusMigration -ConnectionString $cs | Out-Null
            (Get-NexusMigration -ConnectionString $cs -MigrationPath $folder -Pending).Id | Should -Be '0005'
            (Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder).Id | Should -Be '0005'
            (Get-SchemaSnapshot $cs) -join "`n" | Should -Match 'idx_file_paths_owner'
            # The module's own catalog does not know 0005: drift, named.
            { Invoke-NexusMigration -ConnectionString $cs } | Should -Throw -ExpectedMessage '*0005_add_owner_index is in the journal but not in this module*'
            (Invoke-NexusMigration -ConnectionString $cs -Target 0004).Id | Should -Be '0005'
            (Get-SchemaSnapshot $cs) -join "`n" | Should -Not -Match 'idx_file_paths_owner'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }
}

Describe 'Migration files check' {
    It 'the repository has up and down scripts for every migration on both dialects' {
        $ids = Get-ChildItem -Recurse -File -LiteralPath $repoScripts -Filter '*.sql' | ForEach-Object { $_.Name -replace '\.(up|down)\.sql$' } | Sort-Object -Unique
        $ids.Count | Should -BeGreaterOrEqual 2
        foreach ($id in $ids) {
            foreach ($file in "sqlite/$id.up.sql", "sqlite/$id.down.sql", "postgres/$id.up.sql", "postgres/$id.down.sql") {
                Test-Path -LiteralPath (Join-Path $repoScripts $file) | Should -BeTrue -Because "$id needs $file"
            }
        }
    }

    It 'the build check fails on a migration that lacks one of its files' {
        $folder = New-TestMigrationFolder
        Remove-Item -LiteralPath (Join-Path $folder 'postgres/0002_versions_protection_and_lookups.down.sql')
        $out = & bash (Join-Path $PSScriptRoot '../scripts/check-migrations.sh') $folder
        $LASTEXITCODE | Should -Be 1
        "$out" | Should -Match 'migration 0002_versions_protection_and_lookups lacks postgres/0002_versions_protection_and_lookups.down.sql'
        & bash (Join-Path $PSScriptRoot '../scripts/check-migrations.sh') $repoScripts | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It '-MigrationPath refuses an incomplete folder, naming the missing file' {
        $folder = New-TestMigrationFolder
        Remove-Item -LiteralPath (Join-Path $folder 'sqlite/0001_initial_schema.down.sql')
        $cs = New-TestDatabase -Dialect sqlite
        try {
            { Get-NexusMigration -ConnectionString $cs -MigrationPath $folder } | Should -Throw -ExpectedMessage '*sqlite/0001_initial_schema.down.sql is missing*'
        }
        finally { Remove-TestDatabase -ConnectionString $cs }
    }
}

Describe 'Help for the migration cmdlets' {
    It 'has full help with a synopsis, a description, parameters and examples for <_>' -ForEach @('Invoke-NexusMigration', 'Get-NexusMigration', 'New-NexusMigration') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s"
        "$($help.description.Text)" | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        @($help.parameters.parameter | Where-Object { "$($_.description.Text)" }).Count | Should -BeGreaterThan 0
    }
}
