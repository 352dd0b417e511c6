# Issue #10 point 4: errors carry data instead of smuggling it. A NexusException keeps the fact
# (Exception.Fact) apart from the advice (Exception.Hint); the ErrorRecord keeps its category and
# target object and shows the advice as ErrorDetails.RecommendedAction, while the message the user
# reads is unchanged (fact, then hint). A transfer that fails verification carries its per-table
# results in a TransferFailedException; a failed migration step is a MigrationStepFailedException.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    Import-NexusModuleForTest | Out-Null
    Import-Module "$PSScriptRoot/TransferFixtures.psm1" -Force
    $script:Work = Join-Path $env:NEXUS_TEST_RUN_DIR "errors-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null

    function Get-Error([scriptblock] $Call) {
        try { & $Call | Out-Null; $null } catch { $_ }
    }

    # What every record with advice must show: the hint as RecommendedAction, the fact and the
    # hint together as the message (as before the split), the fact without the hint.
    function Assert-Hint($err, [string] $Hint) {
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Hint | Should -Be $Hint
        $err.ErrorDetails.RecommendedAction | Should -Be $Hint
        $err.Exception.Message | Should -Be "$($err.Exception.Fact) $Hint"
        $err.Exception.Fact | Should -Not -BeLike "*$Hint*"
        $err.ErrorDetails.Message | Should -Be $err.Exception.Message -Because 'the text shown stays the exception''s message'
        "$err" | Should -Be $err.Exception.Message
    }
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Error records with a recommended action, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
    }
    AfterAll {
        if ($store.IsOpen) { Disconnect-NexusStore -Store $store }
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'schema mismatch: InvalidOperation, the store as target, "Run Invoke-NexusMigration" as the action' {
        $cs2 = New-TestDatabase -Dialect $Dialect
        try {
            $behind = Connect-NexusStore -ConnectionString $cs2 -NoDefault -WarningAction SilentlyContinue
            Invoke-NexusMigration -Store $behind -Target 0001 -Confirm:$false | Out-Null
            $err = Get-Error { Get-NexusMetadata -Store $behind -Path /any.txt }
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.SchemaMismatch,Nexus.PowerShell.GetNexusMetadataCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err.TargetObject.Database | Should -Be $behind.Database
            $err.Exception.Kind | Should -Be 'SchemaMismatch'
            Assert-Hint $err 'Run Invoke-NexusMigration to upgrade it.'
            $err.Exception.Fact | Should -BeLike '*is at schema revision 0001; this module needs*'
            Disconnect-NexusStore -Store $behind
        }
        finally { Remove-TestDatabase -ConnectionString $cs2 }
    }

    It 'closed store: ResourceUnavailable, the store as target, "Connect again" as the action' {
        $closed = Connect-NexusStore -ConnectionString $cs -NoDefault -WarningAction SilentlyContinue
        Disconnect-NexusStore -Store $closed
        $err = Get-Error { Get-NexusMetadata -Store $closed -Path /any.txt }
        $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.StoreClosed,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $err.TargetObject.Database | Should -Be $closed.Database
        Assert-Hint $err 'Connect again with Connect-NexusStore.'
        $err.Exception.Fact | Should -Be "The store $($closed.Database) was closed with Disconnect-NexusStore."
    }

    It 'a missing record: ObjectNotFound, the path as target, "List what exists" as the action' {
        Get-NexusMetadata -Store $store -Path /none.txt -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs.Count | Should -Be 1 -Because 'a missing record is a non-terminating error'
        $err = $errs[0]
        $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.NotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be '/none.txt'
        Assert-Hint $err 'List what exists with Get-NexusMetadata -Prefix (add -IncludeDeleted for soft-deleted records).'
    }

    It 'a store that cannot be reached: the dialect''s category, its name as target, what to check as the action' {
        if ($Dialect -eq 'sqlite') {
            $file = Join-Path $Work 'not-a-database.db'
            Set-Content -LiteralPath $file -Value ('this is not a database ' * 200)
            $err = Get-Error { Connect-NexusStore -Path $file -NoDefault }
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.StoreCorrupt,Nexus.PowerShell.ConnectNexusStoreCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.TargetObject | Should -Be $file
            Assert-Hint $err 'Check the path, or restore the store from a backup.'
        }
        else {
            $err = Get-Error { Connect-NexusStore -ConnectionString 'postgresql://nexus@127.0.0.1:1/db?connect_timeout=3' -NoDefault }
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.ConnectionFailed,Nexus.PowerShell.ConnectNexusStoreCommand'
            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
            $err.TargetObject | Should -BeLike '*127.0.0.1*'
            Assert-Hint $err 'Check that the server runs and that host and port are right.'
        }
    }

    It 'a migration refusal: the journal target as target, "-Target head" as the action' {
        $err = Get-Error { Invoke-NexusMigration -Store $store -Target +5 -Confirm:$false }
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidArgument,Nexus.PowerShell.InvokeNexusMigrationCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be '+5'
        Assert-Hint $err 'Use -Target head to apply them all.'
    }
}

Describe 'Error records of connection strings' {
    It 'an unsupported scheme: InvalidArgument, the URL (redacted) as target, the schemes to use as the action' {
        $err = Get-Error { Connect-NexusStore -ConnectionString 'mysql://app:Sup3rSecret@db/nexus' -NoDefault }
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.UnsupportedScheme,Nexus.PowerShell.ConnectNexusStoreCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Not -BeLike '*Sup3rSecret*'
        $err.TargetObject | Should -BeLike 'mysql://*@db/nexus'
        Assert-Hint $err "Use 'sqlite:///path.db' for an embedded store or 'postgresql://user@host:5432/database' for PostgreSQL."
    }

    It 'a password that breaks the URL is masked in the fact, the hint and the target alike' {
        $err = Get-Error { Connect-NexusStore -ConnectionString 'postgresql://u:Canary/Pw@127.0.0.1:1/db' -NoDefault }
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidConnectionString,Nexus.PowerShell.ConnectNexusStoreCommand'
        Assert-Hint $err "Percent-encode them: '/' as %2F, '?' as %3F, '@' as %40, or pass the password with -Credential."
        foreach ($text in $err.Exception.Message, $err.ErrorDetails.RecommendedAction, [string]$err.TargetObject) {
            $text | Should -Not -BeLike '*Canary*'
        }
    }
}

Describe 'Copy-NexusData errors, into <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $source = New-FixtureStore 'sqlite'
        Add-FixtureRows $source
    }
    AfterAll { Remove-TestDatabase $source }

    It 'a non-empty destination: ResourceExists, the destination as target, -Merge or -Force as the action' {
        $destination = New-FixtureStore $Dialect
        try {
            Add-FixtureRows $destination
            # One row the source lacks: an identical copy is no longer refused (issue 14).
            Invoke-TestSql $destination "INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at) VALUES ('40000000-0000-4000-8000-0000000000fe', 'other-row', 1, '/x', 1, '2024-01-01T00:00:00.000000Z')" | Out-Null
            $err = Get-Error { Copy-NexusData -Source $source -Destination $destination -Confirm:$false }
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.AlreadyExists,Nexus.PowerShell.CopyNexusDataCommand'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.TargetObject.Database | Should -Not -BeNullOrEmpty -Because 'the target is the destination store'
            $err.TargetObject.Database | Should -Be $err.Exception.Target.Database
            Assert-Hint $err 'Use -Merge to upsert into it by natural key, or -Force to replace its contents.'
            $err.Exception.Fact | Should -BeLike '*is not empty (3 rows in file_paths, 15 rows in file_metadata, 3 rows in content_chunks).'
        }
        finally { Remove-TestDatabase $destination }
    }

    It 'a failed verification: a TransferFailedException with the per-table results, the failing table as target' {
        $destination = New-FixtureStore $Dialect
        try {
            # The destination changes what it is given: every chunk it stores is one byte larger.
            if ($Dialect -eq 'sqlite') {
                Invoke-TestSql $destination 'CREATE TRIGGER skew_chunks AFTER INSERT ON content_chunks BEGIN UPDATE content_chunks SET size_bytes = NEW.size_bytes + 1 WHERE chunk_id = NEW.chunk_id; END;' | Out-Null
            }
            else {
                Invoke-TestSql $destination @'
CREATE FUNCTION skew_chunks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.size_bytes := NEW.size_bytes + 1; RETURN NEW; END $$;
CREATE TRIGGER skew_chunks BEFORE INSERT ON content_chunks FOR EACH ROW EXECUTE FUNCTION skew_chunks();
'@ | Out-Null
            }
            $err = $null
            $out = $null
            try { Copy-NexusData -Source $source -Destination $destination -Confirm:$false -OutVariable out | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.InvalidData,Nexus.PowerShell.CopyNexusDataCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.TargetObject | Should -Be 'content_chunks'
            $err.Exception.GetType().FullName | Should -Be 'Nexus.Core.Transfer.TransferFailedException'
            $err.Exception.Kind | Should -Be 'InvalidData'
            $err.Exception.Target | Should -Be 'content_chunks'
            $results = $err.Exception.Results
            $results.Table | Should -Be @('file_paths', 'file_metadata', 'content_chunks')
            $results.Match | Should -Be @($true, $true, $false)
            $results.RowsWritten | Should -Be @(3, 15, 2)
            $results[2].DestinationChecksum | Should -Not -Be $results[2].SourceChecksum
            $err.Exception.Message | Should -BeLike 'Verification failed for content_chunks (2 rows written, 2 read back, checksums differ). Nothing was committed to *'
            # The cmdlet also wrote them before the error, as it did before.
            @($out).Table | Should -Be @('file_paths', 'file_metadata', 'content_chunks')
            # Nothing was committed.
            [long](Invoke-TestSql $destination 'SELECT count(*) FROM file_paths') | Should -Be 0
        }
        finally { Remove-TestDatabase $destination }
    }
}

Describe 'A failed migration step, on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        Invoke-NexusMigration -ConnectionString $cs | Out-Null
        $folder = New-TestMigrationFolder -Extra @{
            '0005_will_fail' = @{
                sqlite   = @("CREATE TABLE will_fail (id INTEGER);`nINSERT INTO no_such_table VALUES (1);`n", "DROP TABLE will_fail;`n")
                postgres = @("CREATE TABLE will_fail (id integer);`nINSERT INTO no_such_table VALUES (1);`n", "DROP TABLE will_fail;`n")
            }
        }
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'is a MigrationStepFailedException naming the step, its direction and statement; the step is the target' {
        $err = Get-Error { Invoke-NexusMigration -ConnectionString $cs -MigrationPath $folder }
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.MigrationFailed,Nexus.PowerShell.InvokeNexusMigrationCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.GetType().FullName | Should -Be 'Nexus.Core.Migrations.MigrationStepFailedException'
        $err.Exception.ScriptName | Should -Be '0005_will_fail'
        $err.Exception.Direction | Should -Be 'Up'
        $err.Exception.Statement | Should -BeLike '*INSERT INTO no_such_table*'
        $err.TargetObject | Should -Be '0005_will_fail'
        $err.Exception.Target | Should -Be '0005_will_fail'
        $err.Exception.Message | Should -BeLike 'Migration 0005_will_fail (up) failed*no_such_table*'
        $err.Exception.Hint | Should -BeNullOrEmpty
        $err.ErrorDetails | Should -BeNullOrEmpty -Because 'an error without advice shows its message as it is'
    }
}
