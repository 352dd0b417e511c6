# Issue 9 ("Trust first"), items 4, 5, 9 and 10: what happens to a write when the database
# deadlocks, restarts, hangs, fills its disk or is damaged. The restart and hang tests drive the
# throwaway PostgreSQL that scripts/test.sh started (NEXUS_PG_DIR) and always leave it running.
BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest

    # The test server's data folder, when this run started it (not with an outside TEST_DATABASE_URL).
    function Get-TestServerData {
        if (-not $env:NEXUS_PG_DIR -or -not (Test-Path -LiteralPath "$env:NEXUS_PG_DIR/data/postmaster.pid")) { return $null }
        "$env:NEXUS_PG_DIR/data"
    }

    function Get-PgBin { (& pg_config --bindir).Trim() }

    # pg_ctl as the server's owner (initdb refuses root), from a folder it may read.
    function Invoke-PgCtl([string[]] $Arguments) {
        Push-Location /
        try {
            $out = & runuser -u postgres -- (Join-Path (Get-PgBin) 'pg_ctl') -D (Get-TestServerData) @Arguments 2>&1
            if ($LASTEXITCODE -ne 0) { throw "pg_ctl $Arguments failed: $out" }
        }
        finally { Pop-Location }
    }

    function Wait-ServerReady([string] $ConnectionString) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ($clock.Elapsed.TotalSeconds -lt 60) {
            try { if ((Invoke-TestSql $ConnectionString 'SELECT 1') -eq '1') { return } } catch { }
            Start-Sleep -Milliseconds 200
        }
        throw 'The test server did not come back within 60 s'
    }

    # The postmaster and every backend of the test server (all stopped, so nothing answers).
    function Get-ServerProcessIds {
        $postmaster = [int](Get-Content -LiteralPath "$(Get-TestServerData)/postmaster.pid" -TotalCount 1)
        @($postmaster) + @(& pgrep -P $postmaster | ForEach-Object { [int]$_ })
    }

    # Runs $Script with the whole test server stopped (SIGSTOP), and resumes it whatever happens.
    function Invoke-WithHungServer([scriptblock] $Script) {
        $ids = Get-ServerProcessIds
        & kill -STOP @ids
        try { & $Script }
        finally { & kill -CONT @ids }
    }

    # Time and error record of one call.
    function Measure-Failure([scriptblock] $Call) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        try { & $Call } catch { $err = $_ }
        [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Error = $err }
    }
}

Describe 'Item 4: overlapping writers on <Dialect> finish without deadlock losses' -ForEach (Get-TestDialects) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect $Dialect
        $store = Connect-StoreForTest $cs -NoDefault
        Disconnect-NexusStore -Store $store
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It '8 processes upserting the same 2,000 paths in random orders at the same moment reject nothing and count every write' {
        # Every child connects and shuffles first, then all start writing when the go file appears.
        $gate = Join-Path $env:NEXUS_TEST_RUN_DIR "go-$([guid]::NewGuid().ToString('N'))"
        $children = 1..8 | ForEach-Object {
            Start-NexusChildProcess -ArgumentList $cs, $gate, $_ -ScriptBlock {
                param($cs, $gate, $n)
                $null = Connect-NexusStore -ConnectionString $cs -WarningAction SilentlyContinue
                $passes = foreach ($pass in 1, 2) {
                    , @(1..2000 | Get-Random -Shuffle | ForEach-Object { [pscustomobject]@{ Path = "/overlap/$_"; Size = $pass } })
                }
                $null = New-Item -ItemType File -Path "$gate.ready.$n"
                while (-not (Test-Path -LiteralPath $gate)) { Start-Sleep -Milliseconds 10 }
                foreach ($records in $passes) { $records | Set-NexusMetadata }
                'done'
            }
        }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (@(Get-Item -Path "$gate.ready.*" -ErrorAction SilentlyContinue).Count -lt 8 -and $clock.Elapsed.TotalSeconds -lt 240) {
            Start-Sleep -Milliseconds 50
        }
        $null = New-Item -ItemType File -Path $gate
        $results = Wait-NexusChildProcess -Child $children
        $results.StdErr | Should -Not -Match 'deadlock|40P01|rejected|Exception'
        $results.ExitCode | Should -Be @(0, 0, 0, 0, 0, 0, 0, 0)
        Invoke-TestSql $cs "SELECT count(*), min(current_version), max(current_version) FROM file_paths WHERE virtual_path LIKE '/overlap/%'" |
            Should -Be '2000|16|16'
    }
}

Describe 'Item 4: a deadlock on postgres is retried, and said so in -Verbose' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect postgres
        $store = Connect-StoreForTest $cs -NoDefault
        '/dl/a', '/dl/b' | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata -Store $store
        $db = ($cs -split "/")[-1] -replace "\?.*"
        # The other session checks for deadlocks long after ours does: ours is always the victim.
        $null = Invoke-TestSql $cs "ALTER DATABASE $db SET deadlock_timeout = '3s'"
        Disconnect-NexusStore -Store $store
    }
    AfterAll { Remove-TestDatabase -ConnectionString $cs }

    It 'runs the batch again after the server rolled it back to break a deadlock' {
        # psql holds /dl/b, then (while our batch holds /dl/a and waits for /dl/b) asks for /dl/a.
        $script = Join-Path $env:NEXUS_TEST_RUN_DIR "deadlock-$([guid]::NewGuid().ToString('N')).sql"
        Set-Content -LiteralPath $script -Value @"
SET deadlock_timeout = '30s';
BEGIN;
UPDATE file_paths SET current_version = current_version + 1 WHERE virtual_path = '/dl/b';
SELECT pg_sleep(2);
UPDATE file_paths SET current_version = current_version + 1 WHERE virtual_path = '/dl/a';
COMMIT;
"@
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault
        $holder = Start-Process -FilePath (Join-Path (Get-PgBin) 'psql') -ArgumentList $cs, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-f', $script -PassThru `
            -RedirectStandardOutput "$script.out" -RedirectStandardError "$script.err"
        try {
            Start-Sleep -Seconds 1
            # Given in the other order on purpose: the batch still locks /dl/a first.
            $verbose = '/dl/b', '/dl/a' | ForEach-Object { [pscustomobject]@{ Path = $_ } } | Set-NexusMetadata -Store $store -Verbose 4>&1
            $holder.WaitForExit(30000) | Should -BeTrue
            $holder.ExitCode | Should -Be 0
            ($verbose | Out-String) | Should -Match 'rolled back .*to break a conflict with another writer \(.*deadlock.*\); running it again in \d+ ms \(attempt 2 of 6\)'
            (Get-NexusMetadata -Store $store -Path /dl/a, /dl/b).Version | Should -Be @(3, 3)
        }
        finally {
            if (-not $holder.HasExited) { $holder.Kill() }
            Disconnect-NexusStore -Store $store
        }
    }

    It 'gives up after 6 attempts with a ResourceBusy error when every attempt conflicts' {
        $null = Invoke-TestSql $cs @'
CREATE FUNCTION conflict_always() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$;
CREATE TRIGGER conflict_always BEFORE INSERT OR UPDATE ON file_paths FOR EACH ROW
    WHEN (NEW.virtual_path = '/dl/always') EXECUTE FUNCTION conflict_always();
'@
        $store = Connect-NexusStore -ConnectionString $cs -NoDefault
        try {
            $err = $null
            $verbose = try { Set-NexusMetadata -Store $store -Path /dl/always -Verbose 4>&1 } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.Busy,Nexus.PowerShell.SetNexusMetadataCommand'
            $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $err.Exception.Message | Should -Match 'nothing of this call was stored'
            @($verbose | Where-Object { "$_" -match 'running it again' }).Count | Should -Be 5
        }
        finally { Disconnect-NexusStore -Store $store }
    }
}

Describe 'Item 5: a restarted PostgreSQL server loses no write' -Skip:(-not $env:NEXUS_PG_DIR -or -not $IsLinux) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect postgres
        $store = Connect-StoreForTest $cs -NoDefault
    }
    AfterAll {
        Disconnect-NexusStore -Store $store
        Wait-ServerReady $cs
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'stores the first write after pg_ctl restart on the idle pooled connection' {
        Set-NexusMetadata -Store $store -Path /restart/before
        Invoke-PgCtl 'restart', '-m', 'fast', '-w', '-t', '60', '-l', "$env:NEXUS_PG_DIR/server.log"
        $verbose = Set-NexusMetadata -Store $store -Path /restart/after -Verbose 4>&1
        ($verbose | Out-String) | Should -Match 'pooled connection was dead'
        Invoke-TestSql $cs "SELECT virtual_path, current_version FROM file_paths WHERE virtual_path LIKE '/restart/%' ORDER BY 1" |
            Should -Be '/restart/after|1', '/restart/before|1'
    }

    It 'reads after a restart as well' {
        (Get-NexusMetadata -Store $store -Path /restart/before).Version | Should -Be 1   # an idle pooled connection
        Invoke-PgCtl 'restart', '-m', 'fast', '-w', '-t', '60', '-l', "$env:NEXUS_PG_DIR/server.log"
        (Get-NexusMetadata -Store $store -Path /restart/before).Version | Should -Be 1
    }

    It 'reports a connection lost during COMMIT as outcome unknown, naming the batch, without retrying' {
        # A deferred constraint trigger runs inside COMMIT; this one ends its own session there.
        $null = Invoke-TestSql $cs @'
CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT OR UPDATE ON file_paths
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.virtual_path = '/restart/commit') EXECUTE FUNCTION die_at_commit();
'@
        $err = $null
        $verbose = try { Set-NexusMetadata -Store $store -Path /restart/commit -Verbose 4>&1 } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.OutcomeUnknown,Nexus.PowerShell.SetNexusMetadataCommand'
        $err.Exception.Message | Should -Match "broke .*while committing '/restart/commit': it may or may not be stored"
        ($verbose | Out-String) | Should -Not -Match 'running .* again'
        # The session died before its commit record: nothing was stored, and nothing twice.
        @(Invoke-TestSql $cs "SELECT count(*) FROM file_paths WHERE virtual_path = '/restart/commit'") | Should -Be '0'
        # The store goes on working.
        Set-NexusMetadata -Store $store -Path /restart/later
        (Get-NexusMetadata -Store $store -Path /restart/later).Version | Should -Be 1
    }
}

Describe 'Item 9: a hung PostgreSQL server costs at most -CommandTimeout plus 3 s' -Tag Hung -Skip:(-not $env:NEXUS_PG_DIR -or -not $IsLinux) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect postgres
        $store = Connect-StoreForTest $cs -NoDefault
        Disconnect-NexusStore -Store $store
    }
    AfterAll {
        Wait-ServerReady $cs
        Remove-TestDatabase -ConnectionString $cs
    }

    It 'a new connection gives up within -CommandTimeout 5 plus 3 s with a Timeout error' {
        $r = Invoke-WithHungServer { Measure-Failure { Connect-NexusStore -ConnectionString $cs -CommandTimeout 5 -NoDefault } }
        $r.Error | Should -Not -BeNullOrEmpty
        $r.Error.FullyQualifiedErrorId | Should -Be 'Nexus.Timeout,Nexus.PowerShell.ConnectNexusStoreCommand'
        $r.Error.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $r.Seconds | Should -BeLessThan 8
        Wait-ServerReady $cs
    }

    It 'a call on a pooled connection gives up within -CommandTimeout 5 plus 3 s with a Timeout error' {
        $hung = Connect-NexusStore -ConnectionString $cs -CommandTimeout 5 -ConnectTimeout 1 -NoDefault
        try {
            Set-NexusMetadata -Store $hung -Path /hung/warm   # a pooled connection, idle
            $r = Invoke-WithHungServer { Measure-Failure { Set-NexusMetadata -Store $hung -Path /hung/lost } }
            $r.Error | Should -Not -BeNullOrEmpty
            $r.Error.FullyQualifiedErrorId | Should -Be 'Nexus.Timeout,Nexus.PowerShell.SetNexusMetadataCommand'
            $r.Error.Exception.Message | Should -Match 'did not answer in time.*-CommandTimeout'
            $r.Seconds | Should -BeLessThan 8
            Wait-ServerReady $cs
            # The timed-out call stored nothing; the store works again once the server does.
            Set-NexusMetadata -Store $hung -Path /hung/after
            (Get-NexusMetadata -Store $hung -Path /hung/warm, /hung/after).Version | Should -Be @(1, 1)
            @(Get-NexusMetadata -Store $hung -Prefix /hung/lost).Count | Should -Be 0
        }
        finally { Disconnect-NexusStore -Store $hung }
    }

    # No -ConnectTimeout: Npgsql's cancel request after a command timeout would wait twice the
    # connect timeout (5 s here) on its own; the module's deadline must still hold.
    It 'with the default connect timeout, a pooled <Call> gives up within -CommandTimeout 5 plus 3 s' -ForEach @(
        @{ Call = 'write'; Id = 'SetNexusMetadataCommand'; Action = { param($s, $p) Set-NexusMetadata -Store $s -Path "$p/lost" } }
        @{ Call = 'read'; Id = 'GetNexusMetadataCommand'; Action = { param($s, $p) Get-NexusMetadata -Store $s -LiteralPath "$p/warm" } }
        @{ Call = 'listing'; Id = 'GetNexusMetadataCommand'; Action = { param($s, $p) Get-NexusMetadata -Store $s -Prefix "$p/" } }
        @{ Call = 'attribute read'; Id = 'GetNexusAttributeCommand'; Action = { param($s, $p) Get-NexusAttribute -Store $s -Path "$p/warm" } }
    ) {
        $p = "/hung/default-$($Call -replace ' ', '-')"
        $hung = Connect-NexusStore -ConnectionString $cs -CommandTimeout 5 -NoDefault
        try {
            Set-NexusMetadata -Store $hung -Path "$p/warm"   # a pooled connection, idle
            $r = Invoke-WithHungServer { Measure-Failure { & $Action $hung $p } }
            $r.Error | Should -Not -BeNullOrEmpty
            $r.Error.FullyQualifiedErrorId | Should -Be "Nexus.Timeout,Nexus.PowerShell.$Id" -Because $r.Error.Exception.Message
            $r.Error.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $r.Error.Exception.Message | Should -Match 'did not answer in time.*-CommandTimeout'
            $r.Seconds | Should -BeLessThan 8
            Wait-ServerReady $cs
            # Nothing half-written: an abandoned write does not land once the server resumes, and
            # the store works again.
            Start-Sleep -Seconds 2
            @(Invoke-TestSql $cs "SELECT count(*) FROM file_paths WHERE virtual_path = '$p/lost'") | Should -Be '0'
            Set-NexusMetadata -Store $hung -Path "$p/after"
            (Get-NexusMetadata -Store $hung -LiteralPath "$p/warm", "$p/after").Version | Should -Be @(1, 1)
        }
        finally { Disconnect-NexusStore -Store $hung }
    }
}

Describe 'Item 10: a full disk, a damaged file and a lock each get their own error on sqlite' {
    BeforeAll {
        $dir = Join-Path $env:NEXUS_TEST_RUN_DIR "faults-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $dir
    }
    AfterAll { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }

    Context 'on a full disk (a 2 MB tmpfs)' {
        BeforeAll {
            $disk = Join-Path $dir 'small'
            $null = New-Item -ItemType Directory -Path $disk
            & mount -t tmpfs -o size=2m tmpfs $disk 2>$null
            $mounted = $LASTEXITCODE -eq 0
            if ($mounted) {
                $file = Join-Path $disk 'nexus.db'
                $full = Connect-NexusStore -Path $file -NoDefault
                Set-NexusMetadata -Store $full -Path /disk/first
                # Fill the rest of the disk with a file of zeros.
                & dd if=/dev/zero of=(Join-Path $disk 'filler') bs=64k 2>$null
            }
        }
        AfterAll {
            if ($mounted) {
                Disconnect-NexusStore -Store $full
                & umount $disk
            }
        }

        It 'a write fails as Nexus.DiskFull (WriteError) and says the disk is full' {
            if (-not $mounted) { Set-ItResult -Skipped -Because 'mount -t tmpfs is not permitted here' ; return }
            $err = { 1..20000 | ForEach-Object { [pscustomobject]@{ Path = "/disk/$_"; PhysicalPath = ('x' * 200) } } | Set-NexusMetadata -Store $full } |
                Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.DiskFull,Nexus.PowerShell.SetNexusMetadataCommand' -Because $err.Exception.Message
            $err.CategoryInfo.Category | Should -Be 'WriteError'
            $err.Exception.Message | Should -Match 'disk .* is full'
            (Get-NexusMetadata -Store $full -Path /disk/first).Version | Should -Be 1
        }

        It 'opening a new store there says the disk is full, not "disk I/O error"' {
            if (-not $mounted) { Set-ItResult -Skipped -Because 'mount -t tmpfs is not permitted here' ; return }
            $err = { Connect-NexusStore -Path (Join-Path $disk 'second.db') -NoDefault } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.DiskFull,Nexus.PowerShell.ConnectNexusStoreCommand'
            $err.Exception.Message | Should -Match 'disk .* is full'
            $err.Exception.Message | Should -Not -Match 'I/O error'
        }
    }

    It 'a store file damaged in the middle fails as Nexus.StoreCorrupt (InvalidData)' {
        $file = Join-Path $dir 'damaged.db'
        $damaged = Connect-NexusStore -Path $file -NoDefault
        1..3000 | ForEach-Object { [pscustomobject]@{ Path = "/damaged/$_"; PhysicalPath = ('p' * 100) } } | Set-NexusMetadata -Store $damaged
        Disconnect-NexusStore -Store $damaged
        $null = Invoke-TestSql "sqlite:///$file" 'PRAGMA wal_checkpoint(TRUNCATE)'
        # Overwrite pages in the middle of the file (the records' table and index pages).
        $bytes = [IO.File]::ReadAllBytes($file)
        $garbage = [byte[]]::new(16384); [Random]::new(9).NextBytes($garbage)
        [Array]::Copy($garbage, 0, $bytes, [int]($bytes.Length / 2) - 8192, 16384)
        [IO.File]::WriteAllBytes($file, $bytes)
        $damaged = Connect-NexusStore -Path $file -NoDefault
        try {
            $err = { Get-NexusMetadata -Store $damaged -Prefix /damaged/ | Out-Null } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.StoreCorrupt,Nexus.PowerShell.GetNexusMetadataCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -Match 'damaged.*backup'
        }
        finally { Disconnect-NexusStore -Store $damaged }
    }

    It 'a file that is not a database fails as Nexus.StoreCorrupt (InvalidData)' {
        $file = Join-Path $dir 'text.db'
        Set-Content -LiteralPath $file -Value ('not a database ' * 100)
        $err = { Connect-NexusStore -Path $file -NoDefault } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'Nexus.StoreCorrupt,Nexus.PowerShell.ConnectNexusStoreCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'a lock held past the busy timeout fails as Nexus.Busy (ResourceBusy)' {
        $file = Join-Path $dir 'locked.db'
        $locked = Connect-NexusStore -Path $file -CommandTimeout 1 -NoDefault
        $holdSql = Join-Path $dir 'hold.sql'
        Set-Content -LiteralPath $holdSql -Value "BEGIN IMMEDIATE;`n.shell sleep 4`nCOMMIT;`n"
        $holder = Start-Process -FilePath sqlite3 -ArgumentList '-batch', $file -RedirectStandardInput $holdSql -PassThru -RedirectStandardOutput (Join-Path $dir 'hold.out')
        try {
            Start-Sleep -Seconds 1
            $err = { Set-NexusMetadata -Store $locked -Path /locked/one } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'Nexus.Busy,Nexus.PowerShell.SetNexusMetadataCommand'
            $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $err.Exception.Message | Should -Match 'locked by another writer.*-CommandTimeout'
        }
        finally {
            $holder.WaitForExit(10000) | Out-Null
            Disconnect-NexusStore -Store $locked
        }
    }
}

Describe 'Item 10: disk full, damage and conflicts on postgres get their own error ids' -Skip:(-not $env:TEST_DATABASE_URL) {
    BeforeAll {
        $cs = New-TestDatabase -Dialect postgres
        $store = Connect-StoreForTest $cs -NoDefault
        # The server's own SQLSTATEs, raised where a real disk or page would raise them.
        $null = Invoke-TestSql $cs @'
CREATE FUNCTION fail_as() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'simulated: %', TG_ARGV[0] USING ERRCODE = TG_ARGV[0]; END $$;
CREATE TRIGGER fail_full BEFORE INSERT ON file_paths FOR EACH ROW
    WHEN (NEW.virtual_path = '/pg/full') EXECUTE FUNCTION fail_as('53100');
CREATE TRIGGER fail_corrupt BEFORE INSERT ON file_paths FOR EACH ROW
    WHEN (NEW.virtual_path = '/pg/corrupt') EXECUTE FUNCTION fail_as('XX001');
'@
    }
    AfterAll {
        Disconnect-NexusStore -Store $store
        Remove-TestDatabase -ConnectionString $cs
    }

    It '<Path> fails as <Id> (<Category>)' -ForEach @(
        @{ Path = '/pg/full'; Id = 'Nexus.DiskFull'; Category = 'WriteError' }
        @{ Path = '/pg/corrupt'; Id = 'Nexus.StoreCorrupt'; Category = 'InvalidData' }
    ) {
        $err = { Set-NexusMetadata -Store $store -Path $Path } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "$Id,Nexus.PowerShell.SetNexusMetadataCommand"
        $err.CategoryInfo.Category | Should -Be $Category
    }
}
