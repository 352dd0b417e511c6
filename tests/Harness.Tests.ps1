# Proves the shared test helpers (tests/TestHelpers.psm1) work against the real
# databases. Does not test the Nexus module itself.

BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    # Import the module in children only once it is built: this suite must pass before it is.
    # (Set in both phases: -Skip is evaluated at discovery, It bodies at run time.)
    $noModule = -not ($env:NEXUS_MODULE_PATH -and (Test-Path -LiteralPath $env:NEXUS_MODULE_PATH))
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
}

Describe 'Get-TestDialects' {
    It 'always has sqlite, and postgres exactly when TEST_DATABASE_URL is set' {
        $dialects = @(Get-TestDialects | ForEach-Object { $_.Dialect })
        $dialects | Should -Contain 'sqlite'
        ('postgres' -in $dialects) | Should -Be ([bool]$env:TEST_DATABASE_URL)
    }

    It 'has postgres under scripts/test.sh' {
        $env:TEST_DATABASE_URL | Should -Match '^postgresql://'
    }
}

Describe 'Test database helpers on <Dialect>' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
    }
    AfterAll {
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'returns a connection string of the dialect' {
        $expected = @{ sqlite = '^sqlite:////.+\.db$'; postgres = '^postgresql://[^/]+/nexus_t_[0-9a-f]+$' }[$Dialect]
        $cs | Should -Match $expected
    }

    It 'gives an empty database' {
        $sql = @{
            sqlite   = "SELECT count(*) FROM sqlite_master"
            postgres = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        }[$Dialect]
        Invoke-TestSql $cs $sql | Should -Be '0'
    }

    It 'runs several statements and returns rows as lines' {
        $rows = Invoke-TestSql -ConnectionString $cs -Sql @'
CREATE TABLE harness_t (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO harness_t VALUES (1, 'one'), (2, 'two');
SELECT id, name FROM harness_t ORDER BY id;
'@
        $rows | Should -Be @('1|one', '2|two')
    }

    It 'returns nothing for no rows' {
        @(Invoke-TestSql $cs 'SELECT id FROM harness_t WHERE id < 0').Count | Should -Be 0
    }

    It 'throws on an SQL error' {
        { Invoke-TestSql $cs 'SELECT no_such_column FROM harness_t' } | Should -Throw '*no_such_column*'
    }

    It 'gives a different database on each call' {
        $other = New-TestDatabase -Dialect $Dialect
        try {
            $other | Should -Not -Be $cs
            Invoke-TestSql $other 'CREATE TABLE only_here (x integer)'
            @(Invoke-TestSql $cs 'SELECT 1 FROM harness_t WHERE id = 1').Count | Should -Be 1
        }
        finally {
            Remove-TestDatabase -ConnectionString $other
        }
    }
}

Describe 'Database lifecycle' {
    It 'sqlite: the file appears on first use and Remove-TestDatabase deletes it' {
        $cs = New-TestDatabase -Dialect sqlite
        $path = $cs -replace '^sqlite:///', ''
        [System.IO.Path]::IsPathRooted($path) | Should -BeTrue
        Test-Path -LiteralPath $path | Should -BeFalse
        Invoke-TestSql $cs 'CREATE TABLE t (x integer)'
        Test-Path -LiteralPath $path | Should -BeTrue
        Remove-TestDatabase -ConnectionString $cs
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'postgres: CREATE DATABASE then DROP ... WITH (FORCE) even with a session open' -Skip:(-not $env:TEST_DATABASE_URL) {
        $cs = New-TestDatabase -Dialect postgres
        $name = ($cs -split '/')[-1]
        $admin = $env:NEXUS_TEST_PG_ADMIN_URL
        Invoke-TestSql $admin "SELECT count(*) FROM pg_database WHERE datname = '$name'" | Should -Be '1'

        # A session left open on the database must not block the drop.
        $sleeper = Start-NexusChildProcess -NoModule -ArgumentList $cs -ScriptBlock {
            param($cs)
            Import-Module "$env:NEXUS_TEST_HELPERS"
            Invoke-TestSql $cs 'SELECT pg_sleep(30)'
        } -Environment @{ NEXUS_TEST_HELPERS = "$PSScriptRoot/TestHelpers.psm1" }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Invoke-TestSql $admin "SELECT count(*) FROM pg_stat_activity WHERE datname = '$name'") -eq '0') {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'child never connected' }
            Start-Sleep -Milliseconds 200
        }

        Remove-TestDatabase -ConnectionString $cs
        Invoke-TestSql $admin "SELECT count(*) FROM pg_database WHERE datname = '$name'" | Should -Be '0'
        (Wait-NexusChildProcess $sleeper -TimeoutSeconds 60).ExitCode | Should -Not -Be 0   # its session was killed
    }
}

# scripts/lib/run-root.sh: pgscale.sh's and citus.sh's run folders, swept and made by one helper.
Describe 'The run folder of extra servers (run_root)' -Skip:(-not $IsLinux) {
    BeforeAll {
        $tmp = Join-Path ([System.IO.Path]::GetTempPath()) "nexus-runroot-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $tmp
        # A run that died (no process has that pid: Linux pids stay below 2^22) and a live one (this pwsh).
        $dead = New-Item -ItemType Directory -Path (Join-Path $tmp 'nexus-testroot.dead01')
        Set-Content -LiteralPath (Join-Path $dead 'owner.pid') -Value '999999999'
        $live = New-Item -ItemType Directory -Path (Join-Path $tmp 'nexus-testroot.live01')
        Set-Content -LiteralPath (Join-Path $live 'owner.pid') -Value $PID
        $script = Join-Path $tmp 'run.sh'
        Set-Content -LiteralPath $script -Value @'
set -euo pipefail
source "$1"
sweep() { echo "swept $NEXUS_TEST_ROOT"; rm -rf "$NEXUS_TEST_ROOT"; }
run_root nexus-testroot NEXUS_TEST_ROOT sweep
echo "root $NEXUS_TEST_ROOT"
bash -c 'echo "child $NEXUS_TEST_ROOT"'
echo "owner $(cat "$NEXUS_TEST_ROOT/owner.pid") self $$"
'@
        $saved = $env:TMPDIR
        $env:TMPDIR = $tmp
        try { $lines = @(bash $script (Join-Path $PSScriptRoot '../scripts/lib/run-root.sh')) }
        finally { $env:TMPDIR = $saved }
        $exitCode = $LASTEXITCODE
    }
    AfterAll {
        Remove-Item -LiteralPath $tmp -Recurse -Force
    }

    It 'sweeps the folder of a run that died, through the stop function, and leaves a live run''s' {
        $exitCode | Should -Be 0
        @($lines -like 'swept *') | Should -Be "swept $dead"
        Test-Path -LiteralPath $dead | Should -BeFalse
        Test-Path -LiteralPath $live | Should -BeTrue
    }

    It 'makes this run''s folder, marks it with the shell''s pid and exports the variable' {
        $root = ($lines -like 'root *') -replace '^root ', ''
        $root | Should -BeLike (Join-Path $tmp 'nexus-testroot.*')
        Test-Path -LiteralPath $root -PathType Container | Should -BeTrue
        $lines | Should -Contain "child $root"
        $owner = @($lines -like 'owner *')[0] -split ' '
        $owner[1] | Should -Be $owner[3]
    }
}

Describe 'Fresh child sessions' {
    BeforeAll {
        $noModule = -not ($env:NEXUS_MODULE_PATH -and (Test-Path -LiteralPath $env:NEXUS_MODULE_PATH))
    }

    It 'runs a script block in another pwsh process with arguments, stdout, stderr and exit code' {
        $r = Invoke-NexusInFreshSession -NoModule:$noModule -ArgumentList 'text', 42, @{ key = 'value' } -ScriptBlock {
            param($s, $n, $h)
            "$s|$($n + 1)|$($h.key)|$PID"
            [Console]::Error.WriteLine('on stderr')
            exit 7
        }
        $r.ExitCode | Should -Be 7
        $r.Output[0] | Should -Match '^text\|43\|value\|\d+$'
        ($r.Output[0] -split '\|')[-1] | Should -Not -Be "$PID"
        $r.StdErr | Should -Match 'on stderr'
    }

    It 'reports an uncaught error as exit code 1 with the message on stderr' {
        $r = Invoke-NexusInFreshSession -NoModule -ScriptBlock { throw 'boom' }
        $r.ExitCode | Should -Be 1
        $r.StdErr | Should -Match 'boom'
    }

    It 'imports the Nexus module when it is built' -Skip:$noModule {
        $r = Invoke-NexusInFreshSession -ScriptBlock { (Get-Module).Name -join ',' }
        $r.ExitCode | Should -Be 0 -Because $r.StdErr
        $r.Output[0] | Should -Match 'Nexus'
    }

    It 'passes the test environment to the child' {
        $r = Invoke-NexusInFreshSession -NoModule -Environment @{ NEXUS_EXTRA = 'x1' } -ScriptBlock {
            "$env:TEST_DATABASE_URL|$env:NEXUS_EXTRA"
        }
        $r.Output[0] | Should -Be "$env:TEST_DATABASE_URL|x1"
    }

    It 'runs 4 children at the same time' {
        # A barrier instead of a stopwatch (timings flake on a busy 2-core machine): each
        # child announces itself with a file, then waits until all 4 files exist. Children
        # run one after another would never see the others and would give up.
        $barrier = Join-Path ([System.IO.Path]::GetTempPath()) "nexus-barrier-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $barrier
        try {
            $children = 1..4 | ForEach-Object {
                Start-NexusChildProcess -NoModule -ArgumentList $_, $barrier -ScriptBlock {
                    param($n, $barrier)
                    $null = New-Item -ItemType File -Path (Join-Path $barrier "ready-$n")
                    $deadline = [DateTime]::UtcNow.AddSeconds(90)
                    while (@(Get-ChildItem -LiteralPath $barrier -Filter 'ready-*').Count -lt 4) {
                        if ([DateTime]::UtcNow -gt $deadline) { throw "child $n waited alone" }
                        Start-Sleep -Milliseconds 50
                    }
                    "child $n"
                }
            }
            $results = Wait-NexusChildProcess -Child $children -TimeoutSeconds 120
            $results.ExitCode | Should -Be @(0, 0, 0, 0) -Because ($results.StdErr -join "`n")
            $results.Output | Should -Be @('child 1', 'child 2', 'child 3', 'child 4')
        }
        finally {
            Remove-Item -LiteralPath $barrier -Recurse -Force
        }
    }
}
