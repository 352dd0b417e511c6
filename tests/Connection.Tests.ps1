# Issue 2: the module loads anywhere, connects in every form the original system's users have,
# fails clearly (and never leaks a password), and creates its schema through DbUp.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/HelpExamples.psm1" -Force
    $script:Module = Import-NexusModuleForTest
    $script:ModuleFolder = Split-Path $env:NEXUS_MODULE_PATH

    # PostgreSQL URL pieces of the test server (postgresql://user:pw@host:port/db).
    function Get-PgParts([string] $Url) {
        $null = $Url -match '^postgres(ql)?://(?<user>[^:]+):(?<pw>[^@]+)@(?<host>[^:/]+):(?<port>\d+)/(?<db>[^?]+)'
        [pscustomobject]@{ User = $Matches.user; Password = $Matches.pw; Host = $Matches.host; Port = $Matches.port; Database = $Matches.db }
    }

    # Runs a script in a fresh pwsh and returns everything it wrote, all streams merged.
    function Invoke-Fresh([scriptblock] $Script, [object[]] $Arguments = @(), [hashtable] $Environment = @{}) {
        $r = Invoke-NexusInFreshSession -ScriptBlock $Script -ArgumentList $Arguments -Environment $Environment
        $r
    }
}

Describe 'The module package' {
    It 'declares PowerShell 7.4, Core edition, tags, a format file and every cmdlet explicitly' {
        $manifest = Import-PowerShellDataFile $env:NEXUS_MODULE_PATH
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.FormatsToProcess | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.Tags | Should -Contain 'PostgreSQL'
        $manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        $manifest.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
    }

    It 'exports every cmdlet the manifest names, and only those' {
        $exported = (Get-Command -Module Nexus -CommandType Cmdlet).Name | Sort-Object
        $declared = (Import-PowerShellDataFile $env:NEXUS_MODULE_PATH).CmdletsToExport | Sort-Object
        $exported | Should -Be $declared
    }

    It 'does not ship PowerShell''s own engine assembly' {
        Get-ChildItem $ModuleFolder -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'ships the native SQLite library for <_>' -ForEach @('linux-x64', 'linux-arm64', 'osx-arm64', 'win-x64') {
        $native = Get-ChildItem (Join-Path $ModuleFolder "Dependencies/runtimes/$_/native") -File
        $native.Name | Should -Match 'e_sqlite3'
    }

    It 'keeps Nexus.Core and its drivers out of the module root' {
        Test-Path (Join-Path $ModuleFolder 'Npgsql.dll') | Should -BeFalse
        Test-Path (Join-Path $ModuleFolder 'Nexus.Core.dll') | Should -BeFalse
        Test-Path (Join-Path $ModuleFolder 'Dependencies/Nexus.Core.dll') | Should -BeTrue
    }

    It 'has full help with a runnable example for <_>' -ForEach @('Connect-NexusStore', 'Disconnect-NexusStore', 'Get-NexusStore') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s" -Because "a written synopsis, not the generated syntax line"
        $help.description | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0

        # Every example runs as written, each in a fresh session in an empty folder. PostgreSQL
        # examples get a new database on the test server: its address for the documented
        # db01, DATABASE_URL, and a Get-Credential that answers with the server's password.
        $command = $_
        if (-not $env:TEST_DATABASE_URL) { Set-ItResult -Skipped -Because 'the examples need the test PostgreSQL server'; return }
        $pg = New-TestDatabase -Dialect postgres
        try {
            $server = Get-PgParts $pg
            $setup = switch ($command) {
                'Connect-NexusStore' {
                    "function Get-Credential([string] `$UserName) { [pscredential]::new(`$UserName, (ConvertTo-SecureString '$($server.Password)' -AsPlainText -Force)) }"
                }
                default { '$null = Connect-NexusStore -Path ./setup.db' }
            }
            $replace = if ($command -eq 'Connect-NexusStore') {
                @{ 'postgresql://db01:5432/nexus?sslmode=require' = "postgresql://$($server.Host):$($server.Port)/$($server.Database)" }
            } else { @{} }
            $runs = @(Invoke-HelpExample -Command $command -Setup $setup -Replace $replace -Environment @{ DATABASE_URL = $pg })
            $runs.Count | Should -Be @($help.examples.example).Count
            foreach ($run in $runs) {
                $run.ExitCode | Should -Be 0 -Because "'$($run.Title)' runs:`n$($run.Code)`n$($run.StdErr)"
                $run.StdErr | Should -BeNullOrEmpty -Because "'$($run.Title)' runs without errors"
            }
        }
        finally { Remove-TestDatabase $pg }
    }
}

Describe 'Loading in a fresh session' {
    It 'imports with -NoProfile and opens an embedded store' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "nexus-fresh-$([guid]::NewGuid().ToString('N'))"
        $r = Invoke-Fresh {
            param($dir)
            $s = Connect-NexusStore -Path (Join-Path $dir 'fresh.db')
            "$($s.Provider)|$($s.SchemaRevision)|$($s.IsSchemaCurrent)"
        } @($dir)
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.StdOut.Trim() | Should -Be 'Sqlite|0004|True'
        Remove-Item $dir -Recurse -Force
    }

    It 'loads after another Npgsql and Microsoft.Extensions.Logging.Abstractions, and leaves them working' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
        $nuget = Split-Path (Split-Path (Split-Path (Split-Path $env:NEXUS_PESTER_PATH)))
        $oldNpgsql = Join-Path $nuget 'npgsql/8.0.5/lib/net8.0/Npgsql.dll'
        $oldLogging = Join-Path $nuget 'microsoft.extensions.logging.abstractions/8.0.0/lib/net8.0/Microsoft.Extensions.Logging.Abstractions.dll'
        Test-Path $oldNpgsql | Should -BeTrue -Because 'scripts/setup.sh downloads Npgsql 8.0.5 for this test'
        $pg = Get-PgParts $env:TEST_DATABASE_URL
        $r = Invoke-NexusInFreshSession -NoModule -ScriptBlock {
            param($oldLogging, $oldNpgsql, $module, $url, $ado)
            Add-Type -Path $oldLogging
            Add-Type -Path $oldNpgsql
            Import-Module $module
            $sqlite = Connect-NexusStore 'sqlite:///:memory:' -NoDefault
            $pgStore = Connect-NexusStore $url -NoDefault -WarningAction SilentlyContinue
            # The other module's Npgsql 8 still works after ours loaded.
            $c = [Npgsql.NpgsqlConnection]::new($ado); $c.Open()
            $cmd = $c.CreateCommand(); $cmd.CommandText = 'SELECT 41 + 1'
            $answer = $cmd.ExecuteScalar(); $c.Close()
            $versions = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Npgsql' } |
                ForEach-Object { "$($_.GetName().Version.Major)@$([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name)" } | Sort-Object
            "$($sqlite.SchemaRevision)|$($pgStore.ServerVersion -like 'PostgreSQL*')|$answer|$($versions -join ',')"
        } -ArgumentList @($oldLogging, $oldNpgsql, $env:NEXUS_MODULE_PATH, $env:TEST_DATABASE_URL,
            "Host=$($pg.Host);Port=$($pg.Port);Database=$($pg.Database);Username=$($pg.User);Password=$($pg.Password)")
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.Output[-1] | Should -Be '0004|True|42|10@Nexus,8@Default'
    }
}

Describe 'Connecting to SQLite' {
    BeforeEach {
        $script:Dir = Join-Path ([IO.Path]::GetTempPath()) "nexus-conn-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory $Dir
        Push-Location $Dir
    }
    AfterEach {
        Pop-Location
        Get-NexusStore -ErrorAction SilentlyContinue | Disconnect-NexusStore
        Remove-Item $Dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It '-Path creates the file and its parent folders, relative to the current location' {
        $s = Connect-NexusStore -Path 'a/b/store.db'
        $s.Database | Should -Be (Join-Path $Dir 'a/b/store.db')
        Test-Path (Join-Path $Dir 'a/b/store.db') | Should -BeTrue
        $s.Provider | Should -Be 'Sqlite'
        $s.ServerVersion | Should -Match '^SQLite 3\.'
    }

    It 'runs the file in WAL mode' {
        $null = Connect-NexusStore -Path 'wal.db'
        Invoke-TestSql "sqlite:///$(Join-Path $Dir 'wal.db')" 'PRAGMA journal_mode' | Should -Be 'wal'
    }

    It 'accepts <Url>' -ForEach @(
        @{ Url = 'sqlite:///rel.db'; Expected = 'rel.db' }
        @{ Url = 'sqlite+pysqlite:///drv.db'; Expected = 'drv.db' }
        @{ Url = 'Data Source=ado.db'; Expected = 'ado.db' }
    ) {
        $s = Connect-NexusStore -ConnectionString $Url
        $s.Database | Should -Be (Join-Path $Dir $Expected)
        $s.IsSchemaCurrent | Should -BeTrue
    }

    It 'accepts an absolute sqlite://// URL' {
        $abs = Join-Path $Dir 'abs.db'
        (Connect-NexusStore -Uri "sqlite:///$abs").Database | Should -Be $abs
    }

    It 'keeps sqlite:///:memory: stores apart and alive while open' {
        $a = Connect-NexusStore 'sqlite:///:memory:' -NoDefault
        $b = Connect-NexusStore 'sqlite:///:memory:' -NoDefault
        $a.Database | Should -Be ':memory:'
        $a.Id | Should -Not -Be $b.Id
        (Get-NexusMigration -Store $a | Where-Object State -EQ 'Applied').Count | Should -Be 4
        (Get-NexusMigration -Store $b | Where-Object State -EQ 'Applied').Count | Should -Be 4
        Disconnect-NexusStore $a; Disconnect-NexusStore $b
    }

    It 'reads NEXUS_DATABASE_URL before DATABASE_URL, and falls back to ./nexus.db' {
        $saved = $env:NEXUS_DATABASE_URL, $env:DATABASE_URL
        try {
            $env:NEXUS_DATABASE_URL = 'sqlite:///first.db'; $env:DATABASE_URL = 'sqlite:///second.db'
            (Connect-NexusStore).Database | Should -Be (Join-Path $Dir 'first.db')
            $env:NEXUS_DATABASE_URL = $null
            (Connect-NexusStore).Database | Should -Be (Join-Path $Dir 'second.db')
            $env:DATABASE_URL = $null
            (Connect-NexusStore).Database | Should -Be (Join-Path $Dir 'nexus.db')
        }
        finally { $env:NEXUS_DATABASE_URL, $env:DATABASE_URL = $saved }
    }

    It 'makes the store the default of this runspace only' {
        $outer = Connect-NexusStore -Path 'outer.db'
        $inner = 1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:env:NEXUS_MODULE_PATH
            $before = Get-NexusStore -ErrorAction SilentlyContinue
            $s = Connect-NexusStore -Path (Join-Path $using:Dir "inner$_.db")
            "$($null -eq $before)|$((Get-NexusStore).Database -eq $s.Database)"
        }
        $inner | Should -Be @('True|True', 'True|True')
        (Get-NexusStore).Database | Should -Be $outer.Database
    }

    It 'closes the store with Disconnect-NexusStore; later use says to connect again' {
        $s = Connect-NexusStore -Path 'closed.db'
        Disconnect-NexusStore
        $s.IsOpen | Should -BeFalse
        { Get-NexusStore -ErrorAction Stop } | Should -Throw '*Connect-NexusStore*'
        $err = { Get-NexusMigration -Store $s } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.StoreClosed*'
    }

    It 'refuses a directory with InvalidArgument' {
        $err = { Connect-NexusStore -Path $Dir } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike "*is a directory*"
    }

    It 'refuses a read-only file with PermissionDenied and leaves it untouched' {
        $file = Join-Path $Dir 'ro.db'
        $null = Connect-NexusStore -Path $file; Disconnect-NexusStore
        $before = (Get-FileHash $file).Hash
        chmod 444 $file
        $err = { Connect-NexusStore -Path $file } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -BeLike '*read-only*'
        (Get-FileHash $file).Hash | Should -Be $before
    }

    It 'refuses a file that is not a SQLite database' {
        Set-Content (Join-Path $Dir 'text.db') ('not a database ' * 100)
        $err = { Connect-NexusStore -Path 'text.db' } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }
}

Describe 'Connection errors' {
    It 'rejects <Text> with InvalidArgument and a hint' -ForEach @(
        @{ Text = 'mysql://u:p@host/db'; Hint = '*not supported*' }
        @{ Text = 'postgresql://u@:5432/db'; Hint = '*no host*' }
        @{ Text = 'postgresql://u@host:notaport/db'; Hint = '*port*' }
        @{ Text = 'postgresql://u@host/db?sslmode=sometimes'; Hint = '*sslmode*' }
        @{ Text = 'postgresql://u@host/db?frobnicate=1'; Hint = '*not supported*' }
        @{ Text = 'sqlite://host/file.db'; Hint = '*three slashes*' }
        @{ Text = 'just some words'; Hint = '*-Path*' }
    ) {
        $err = { Connect-NexusStore -ConnectionString $Text } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike $Hint
    }
}

Describe 'Connecting to PostgreSQL' -Tag 'postgres' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $script:Cs = New-TestDatabase -Dialect postgres
        $script:Pg = Get-PgParts $Cs
    }
    AfterAll {
        Get-NexusStore -ErrorAction SilentlyContinue | Disconnect-NexusStore
        Remove-TestDatabase -ConnectionString $Cs
    }

    It 'accepts the <Form> form' -ForEach @(
        @{ Form = 'postgresql://'; Make = { param($p) "postgresql://$($p.User):$($p.Password)@$($p.Host):$($p.Port)/$($p.Database)" } }
        @{ Form = 'postgres://'; Make = { param($p) "postgres://$($p.User):$($p.Password)@$($p.Host):$($p.Port)/$($p.Database)" } }
        @{ Form = 'postgresql+psycopg2://'; Make = { param($p) "postgresql+psycopg2://$($p.User):$($p.Password)@$($p.Host):$($p.Port)/$($p.Database)?sslmode=disable" } }
        @{ Form = 'ADO.NET'; Make = { param($p) "Host=$($p.Host);Port=$($p.Port);Database=$($p.Database);Username=$($p.User);Password=$($p.Password)" } }
    ) {
        $s = Connect-NexusStore -ConnectionString (& $Make $Pg) -WarningAction SilentlyContinue
        $s.Provider | Should -Be 'PostgreSql'
        $s.Database | Should -Be "$($Pg.Host):$($Pg.Port)/$($Pg.Database)"
        $s.ServerVersion | Should -Match '^PostgreSQL 15'
        $s.UserName | Should -Be $Pg.User
        Disconnect-NexusStore $s
    }

    It 'takes the password from -Credential, and passes URL options through' {
        $cred = [pscredential]::new($Pg.User, (ConvertTo-SecureString $Pg.Password -AsPlainText -Force))
        $s = Connect-NexusStore "postgresql://nobody:wrong@$($Pg.Host):$($Pg.Port)/$($Pg.Database)?application_name=nexus-cred-test" -Credential $cred -WarningAction SilentlyContinue
        $s.UserName | Should -Be $Pg.User
        # The pooled connection stays open; the server sees our application name.
        Invoke-TestSql $Cs "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'nexus-cred-test'" | Should -BeGreaterOrEqual 1
        Disconnect-NexusStore $s
    }

    It 'applies and shows pool settings' {
        $s = Connect-NexusStore $Cs -MaxPoolSize 7 -MinPoolSize 2 -CommandTimeout 45 -WarningAction SilentlyContinue
        $s.MaxPoolSize | Should -Be 7
        $s.MinPoolSize | Should -Be 2
        $s.CommandTimeout | Should -Be 45
        ($s | Format-List | Out-String) | Should -Match '2\.\.7 connections'
        Disconnect-NexusStore $s
    }

    It 'refuses MinPoolSize above MaxPoolSize' {
        { Connect-NexusStore $Cs -MaxPoolSize 2 -MinPoolSize 5 } | Should -Throw '*MinPoolSize*'
    }

    It 'reports bad credentials as AuthenticationError' {
        $err = { Connect-NexusStore "postgresql://$($Pg.User):not-the-password@$($Pg.Host):$($Pg.Port)/$($Pg.Database)" } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.AuthenticationFailed*'
        $err.Exception.Message | Should -BeLike '*-Credential*'
    }

    It 'reports an unreachable server as ConnectionError' {
        $err = { Connect-NexusStore "postgresql://u:p@127.0.0.1:1/nexus?connect_timeout=3" } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -BeLike '*cannot be reached*'
    }

    It 'reports a missing database as ObjectNotFound' {
        $err = { Connect-NexusStore "postgresql://$($Pg.User):$($Pg.Password)@$($Pg.Host):$($Pg.Port)/no_such_db_here" } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike '*does not exist*'
    }

    It 'never shows the password: object, formats, JSON, verbose, warnings and errors' {
        $canary = 'Canary-' + [guid]::NewGuid().ToString('N')
        $null = Invoke-TestSql $Cs "CREATE ROLE leak_test LOGIN PASSWORD '$canary'; GRANT ALL ON DATABASE $($Pg.Database) TO leak_test"
        $r = Invoke-Fresh {
            param($good, $bad, $unreachable, $malformed)
            $ErrorActionPreference = 'Continue'
            $VerbosePreference = 'Continue'
            $s = Connect-NexusStore $good -Verbose
            $s; $s | Format-List * -Force; $s | Format-Table -AutoSize; $s | ConvertTo-Json -Depth 4; "$s"
            Get-NexusMigration -Store $s -Verbose
            foreach ($cs in $bad, $unreachable, $malformed) {
                try { Connect-NexusStore $cs -Verbose } catch { $_ | Format-List * -Force; $_.Exception | Format-List * -Force; $_.Exception.InnerException | Format-List * -Force; $_.ScriptStackTrace }
            }
            $Error | Format-List * -Force
        } @(
            "postgresql://leak_test:$canary@$($Pg.Host):$($Pg.Port)/$($Pg.Database)",
            "postgresql://leak_test:$canary-x@$($Pg.Host):$($Pg.Port)/$($Pg.Database)",
            "postgresql://leak_test:$canary@127.0.0.1:1/db?connect_timeout=2",
            "postgresql://leak_test:$canary@$($Pg.Host):$($Pg.Port)/db?sslmode=bogus")
        $all = $r.StdOut + $r.StdErr
        $all | Should -Match 'PostgreSql' -Because 'the script ran and printed the store'
        $all | Should -Match 'refused the login' -Because 'the bad password was reported'
        $all | Should -Not -Match $canary
    }
}

Describe 'Schema and migrations on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $script:Cs = New-TestDatabase -Dialect $Dialect
        $script:Store = Connect-NexusStore $Cs -NoDefault -WarningAction SilentlyContinue
    }
    AfterAll {
        Disconnect-NexusStore $Store
        Remove-TestDatabase -ConnectionString $Cs
    }

    It 'lists every migration with its state' {
        $rows = Get-NexusMigration -Store $Store
        $rows.Id | Should -Be @('0001', '0002', '0003', '0004')
        if ($Dialect -eq 'postgres') {
            $rows.State | Should -Be @('Pending', 'Pending', 'Pending', 'Pending') -Because 'a server store is never changed silently'
        }
        else {
            $rows.State | Should -Be @('Applied', 'Applied', 'Applied', 'Applied') -Because 'a new embedded store is usable at once'
        }
        $rows | ForEach-Object { $_.HasDownScript | Should -BeTrue }
    }

    It '-WhatIf applies nothing' {
        Invoke-NexusMigration -Store $Store -WhatIf
        (Get-NexusMigration -Store $Store -Pending).Count | Should -Be ($Dialect -eq 'postgres' ? 4 : 0)
    }

    It 'keeps the store cmdlets off a schema that is behind, saying to run Invoke-NexusMigration' {
        if ($Dialect -eq 'sqlite') { Invoke-NexusMigration -Store $Store -Target 0001 -Confirm:$false | Out-Null }
        $err = { Get-NexusMetadata -Store $Store -Path /any.txt } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Nexus.SchemaMismatch*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -BeLike '*Invoke-NexusMigration*'
        { [pscustomobject]@{ Path = '/a.txt'; Size = 1 } | Set-NexusMetadata -Store $Store } | Should -Throw '*Invoke-NexusMigration*'
        # Nothing was changed behind the user's back.
        $check = if ($Dialect -eq 'sqlite') { 'SELECT count(*) FROM nexus_schema_journal' } else { "SELECT count(*) FROM pg_tables WHERE tablename = 'file_paths'" }
        Invoke-TestSql $Cs $check | Should -Be ($Dialect -eq 'sqlite' ? '1' : '0')
    }

    It 'migrates to head and journals id, UTC time and checksum' {
        $before = [datetime]::UtcNow.AddSeconds(-5)
        $applied = Invoke-NexusMigration -Store $Store
        if ($Dialect -eq 'postgres') { $applied.Id | Should -Be @('0001', '0002', '0003', '0004') }
        $rows = Get-NexusMigration -Store $Store
        $rows.State | Should -Be @('Applied', 'Applied', 'Applied', 'Applied')
        $rows | ForEach-Object {
            $_.ChecksumMatches | Should -BeTrue
            $_.Checksum | Should -Match '^[0-9a-f]{64}$'
            $_.AppliedAt.Kind | Should -Be 'Utc'
        }
        if ($Dialect -eq 'postgres') { $rows[0].AppliedAt | Should -BeGreaterThan $before }
        $Store.SchemaRevision | Should -Be '0004'
        $Store.IsSchemaCurrent | Should -BeTrue
    }

    It 'does nothing the second time' {
        Invoke-NexusMigration -Store $Store | Should -BeNullOrEmpty
        Invoke-TestSql $Cs 'SELECT count(*) FROM nexus_schema_journal' | Should -Be '4'
    }

    It 'types the columns as the dialect table says' {
        if ($Dialect -eq 'postgres') {
            $types = Invoke-TestSql $Cs "SELECT table_name || '.' || column_name || '=' || data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('file_paths','file_metadata','content_chunks') ORDER BY 1"
            $types | Should -Contain 'file_paths.path_id=uuid'
            $types | Should -Contain 'file_paths.tenant_id=character varying'
            $types | Should -Contain 'file_paths.created_at=timestamp with time zone'
            $types | Should -Contain 'file_paths.deleted_at=timestamp with time zone'
            $types | Should -Contain 'file_paths.size_bytes=bigint'
            $types | Should -Contain 'file_paths.current_version=integer'
            $types | Should -Contain 'file_metadata.metadata_id=uuid'
            $types | Should -Contain 'file_metadata.path_id=uuid'
            $types | Should -Contain 'file_metadata.value=jsonb'
            $types | Should -Contain 'content_chunks.chunk_id=uuid'
            $types | Should -Contain 'content_chunks.protected_until=timestamp with time zone'
            Invoke-TestSql $Cs "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_file_metadata_value_gin'" | Should -BeLike '*USING gin (value jsonb_path_ops)*'
            Invoke-TestSql $Cs "SELECT confdeltype FROM pg_constraint WHERE conname = 'fk_file_metadata_path_id'" | Should -Be 'c'
            Invoke-TestSql $Cs "SELECT contype FROM pg_constraint WHERE conname = 'uq_file_paths_tenant_virtual_path'" | Should -Be 'u'
            # Every constraint has a name of ours, none a generated one.
            Invoke-TestSql $Cs "SELECT conname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname IN ('file_paths','file_metadata','content_chunks') AND conname !~ '^(pk|uq|fk|ck)_' AND contype <> 'n'" | Should -BeNullOrEmpty
        }
        else {
            $types = Invoke-TestSql $Cs "SELECT m.name || '.' || p.name || '=' || p.type FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.name IN ('file_paths','file_metadata','content_chunks') ORDER BY 1"
            $types | Should -Contain 'file_paths.path_id=TEXT'
            $types | Should -Contain 'file_paths.created_at=TEXT'
            $types | Should -Contain 'file_paths.size_bytes=INTEGER'
            $types | Should -Contain 'file_metadata.value=TEXT'
            $types | Should -Contain 'content_chunks.protected_until=TEXT'
            (Invoke-TestSql $Cs "SELECT sql FROM sqlite_master WHERE name = 'file_metadata'") -join ' ' | Should -Match 'json_valid\(value\)'
            # The JSON check holds: raw invalid JSON is refused by the database itself.
            { Invoke-TestSql $Cs "PRAGMA foreign_keys=OFF; INSERT INTO file_metadata VALUES ('m','p','k','{not json','x','x')" } | Should -Throw '*CHECK constraint failed*'
            Invoke-TestSql $Cs "SELECT on_delete FROM pragma_foreign_key_list('file_metadata')" | Should -Be 'CASCADE'
        }
    }

    It 'names every index it creates' {
        $expected = 'idx_content_chunks_last_accessed_at', 'idx_content_chunks_ref_count', 'idx_content_chunks_unreferenced',
            'idx_file_metadata_key', 'idx_file_paths_backend_id', 'idx_file_paths_content_hash', 'uq_file_metadata_path_key'
        $names = if ($Dialect -eq 'postgres') {
            Invoke-TestSql $Cs "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
        }
        else {
            Invoke-TestSql $Cs "SELECT name FROM sqlite_master WHERE type = 'index'"
        }
        foreach ($name in $expected) { $names | Should -Contain $name }
    }
}
