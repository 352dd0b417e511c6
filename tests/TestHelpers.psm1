# Shared helpers for the Pester suites under tests/. They work against real
# databases only (a SQLite file, the throwaway PostgreSQL that scripts/test.sh
# starts): no mocks. Import in every suite, in both Pester phases:
#
#   BeforeDiscovery { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }  # for -ForEach (Get-TestDialects)
#   BeforeAll       { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force }
#
# Environment (set by scripts/test.sh):
#   NEXUS_MODULE_PATH        built module manifest (out/Nexus/Nexus.psd1)
#   TEST_DATABASE_URL        postgresql://user:pw@127.0.0.1:port/nexus_test (postgres tests skipped if unset)
#   NEXUS_TEST_PG_ADMIN_URL  same server, database 'postgres' (derived from TEST_DATABASE_URL if unset)
#   NEXUS_TEST_RUN_DIR       per-run temp dir for SQLite files and child scripts (made here if unset)
#   NEXUS_TEST_LAYOUT        partitioned or distributed: every PostgreSQL store that Connect-StoreForTest
#                            opens is converted to that layout after migrating, and Get-TestDialects
#                            gives the postgres case only (the layout tiers of scripts/test.sh)
#   NEXUS_TEST_CITUS=1       (the distributed tier) TEST_DATABASE_URL is a Citus coordinator: every
#                            postgres test database is made on it and on its workers, ready for
#                            create_distributed_table
#   NEXUS_TEST_CITUS_WORKER_URLS       the workers' URLs (database postgres), comma-separated
#   NEXUS_TEST_CITUS_COORDINATOR_URL   the coordinator's URL (database postgres); in the tier,
#                            NEXUS_TEST_PG_ADMIN_URL. Start-TestCitusCluster sets both.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# ---------------------------------------------------------------- private

function Get-RunDirectory {
    # Kept in an environment variable so that re-importing this module (-Force)
    # and child sessions share one directory for the whole run.
    if (-not $env:NEXUS_TEST_RUN_DIR) {
        $env:NEXUS_TEST_RUN_DIR = Join-Path ([System.IO.Path]::GetTempPath()) "nexus-tests-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    }
    if (-not (Test-Path -LiteralPath $env:NEXUS_TEST_RUN_DIR)) {
        $null = New-Item -ItemType Directory -Path $env:NEXUS_TEST_RUN_DIR -Force
    }
    $env:NEXUS_TEST_RUN_DIR
}

function Get-PsqlPath {
    # Debian keeps the PostgreSQL 15 binaries off PATH; pg_config knows where.
    $bin = '/usr/lib/postgresql/15/bin'
    if (Get-Command pg_config -CommandType Application -ErrorAction SilentlyContinue) {
        $fromConfig = (& pg_config --bindir).Trim()
        if (Test-Path -LiteralPath (Join-Path $fromConfig 'psql')) { $bin = $fromConfig }
    }
    $psql = Join-Path $bin 'psql'
    if (-not (Test-Path -LiteralPath $psql)) { throw "psql not found in $bin (run scripts/setup.sh)" }
    $psql
}

function Split-PostgresUrl([string] $Url) {
    # postgresql://user:pw@host:port/db?params -> base 'postgresql://user:pw@host:port', db, query
    if ($Url -notmatch '^(?<base>postgres(?:ql)?://[^/]+)/(?<db>[^?]*)(?<query>\?.*)?$') {
        throw "Not a postgresql:// URL: $Url"
    }
    [pscustomobject]@{ Base = $Matches.base; Database = $Matches.db; Query = [string]$Matches['query'] }
}

function Get-AdminUrl {
    if ($env:NEXUS_TEST_PG_ADMIN_URL) { return $env:NEXUS_TEST_PG_ADMIN_URL }
    if (-not $env:TEST_DATABASE_URL) { throw 'TEST_DATABASE_URL is not set: no PostgreSQL to test against' }
    $u = Split-PostgresUrl $env:TEST_DATABASE_URL
    "$($u.Base)/postgres$($u.Query)"
}

function Get-SqliteFilePath([string] $ConnectionString) {
    # sqlite:////abs/path.db -> /abs/path.db
    if ($ConnectionString -notmatch '^sqlite:///(?<path>/.+)$') { throw "Not a sqlite:////abs/path URL: $ConnectionString" }
    $Matches.path
}

function Get-Dialect([string] $ConnectionString) {
    if ($ConnectionString -like 'sqlite:*') { return 'sqlite' }
    if ($ConnectionString -match '^postgres(ql)?://') { return 'postgres' }
    throw "Unknown connection string: $ConnectionString"
}

function Invoke-NativeProcess {
    # Runs a program with exact arguments (no shell quoting) and optional stdin;
    # returns ExitCode / StdOut / StdErr. Both pipes are drained asynchronously
    # so a chatty child cannot dead-lock on a full pipe.
    param([string] $FilePath, [string[]] $ArgumentList, [string] $InputText, [hashtable] $Environment)
    $handle = Start-NativeProcess @PSBoundParameters
    Wait-NativeProcess $handle 300
}

function Start-NativeProcess {
    param([string] $FilePath, [string[]] $ArgumentList, [string] $InputText, [hashtable] $Environment)
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = [System.Text.Encoding]::UTF8
    $psi.StandardErrorEncoding = [System.Text.Encoding]::UTF8
    if ($Environment) { foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] } }
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    if ($InputText) { $p.StandardInput.Write($InputText) }
    $p.StandardInput.Close()
    [pscustomobject]@{ Process = $p; StdOutTask = $out; StdErrTask = $err }
}

function Wait-NativeProcess($Handle, [int] $TimeoutSeconds) {
    $p = $Handle.Process
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
        $p.Kill($true)
        throw "Process $($p.Id) ($($p.StartInfo.FileName)) did not finish within $TimeoutSeconds s; killed"
    }
    $p.WaitForExit()  # flushes the async readers
    [pscustomobject]@{
        ExitCode = $p.ExitCode
        StdOut   = $Handle.StdOutTask.GetAwaiter().GetResult()
        StdErr   = $Handle.StdErrTask.GetAwaiter().GetResult()
    }
}

function ConvertTo-Lines([string] $Text) {
    # One string per line, unrolled (nothing for empty output).
    if ([string]::IsNullOrEmpty($Text)) { return }
    $Text.TrimEnd("`n").Split("`n") | ForEach-Object { $_.TrimEnd("`r") }
}

function Get-CitusCluster {
    # The Citus cluster the test databases go to: the coordinator's and the workers' URLs
    # (database postgres), or $null when no cluster is known in this process.
    $coordinator = $env:NEXUS_TEST_CITUS_COORDINATOR_URL
    if (-not $coordinator -and $env:NEXUS_TEST_CITUS -eq '1') { $coordinator = Get-AdminUrl }
    if (-not $coordinator -or -not $env:NEXUS_TEST_CITUS_WORKER_URLS) { return $null }
    [pscustomobject]@{ Coordinator = $coordinator; Workers = @($env:NEXUS_TEST_CITUS_WORKER_URLS -split ',') }
}

function Get-DatabaseUrl([string] $Url, [string] $Database) {
    $u = Split-PostgresUrl $Url
    "$($u.Base)/$Database$($u.Query)"
}

# ---------------------------------------------------------------- public

<#
.SYNOPSIS
    The dialect cases for Pester -ForEach.
.DESCRIPTION
    Returns @{ Dialect = 'sqlite' } and, when TEST_DATABASE_URL is set (scripts/test.sh
    always sets it), @{ Dialect = 'postgres' }. Call it at discovery time (BeforeDiscovery
    import of this module). Invoke-Tests.ps1 counts results per Dialect value.
.EXAMPLE
    Describe 'Items on <Dialect>' -ForEach (Get-TestDialects) {
        BeforeAll { $cs = New-TestDatabase -Dialect $Dialect }
        AfterAll  { Remove-TestDatabase -ConnectionString $cs }
        It 'works' { ... }
    }
#>
function Get-TestDialects {
    [OutputType([hashtable[]])]
    param()
    # A layout tier runs the PostgreSQL cases only: SQLite has the plain layout, run already.
    $cases = @(if (-not $env:NEXUS_TEST_LAYOUT) { @{ Dialect = 'sqlite' } })
    if ($env:TEST_DATABASE_URL) { $cases += @{ Dialect = 'postgres' } }
    , $cases
}

<#
.SYNOPSIS
    Creates a brand-new empty database and returns its connection string.
.DESCRIPTION
    sqlite:   a new file path (not yet created) in the per-run temp dir, returned as
              sqlite:////abs/path/<guid>.db
    postgres: CREATE DATABASE nexus_t_<random> on the TEST_DATABASE_URL server (through
              psql and the admin URL, no module needed); returns its postgresql:// URL.
              With -Citus or NEXUS_TEST_CITUS=1: the database on the Citus coordinator and on
              each worker, the extension in each and the nodes registered in it, so that
              create_distributed_table works in it (Get-TestCitusWorkerUrl: its worker URLs).
    Pair every call with Remove-TestDatabase (AfterAll/AfterEach).
.PARAMETER Dialect
    sqlite or postgres.
.PARAMETER Citus
    postgres on the Citus cluster of Start-TestCitusCluster (the default when NEXUS_TEST_CITUS=1).
.EXAMPLE
    $cs = New-TestDatabase -Dialect postgres
#>
function New-TestDatabase {
    [OutputType([string])]
    param(
        [Parameter(Mandatory)][ValidateSet('sqlite', 'postgres')][string] $Dialect,
        [switch] $Citus
    )
    $id = [guid]::NewGuid().ToString('N')
    if ($Dialect -eq 'sqlite') {
        $path = Join-Path (Get-RunDirectory) "$id.db"
        return "sqlite:///$path"
    }
    $name = "nexus_t_$($id.Substring(0, 16))"
    if ($Citus -or $env:NEXUS_TEST_CITUS -eq '1') {
        # Citus keeps its node list per database: the same database on the coordinator and on
        # every worker, each a copy of nexus_citus_template, which scripts/lib/citus.sh made with
        # the extension and the nodes registered (3 copies: ~0.35 s; building it: ~1.4 s).
        $cluster = Get-CitusCluster
        if (-not $cluster) { throw 'No Citus cluster: run the distributed tier through scripts/test.sh, or call Start-TestCitusCluster first' }
        foreach ($node in @($cluster.Coordinator) + $cluster.Workers) {
            $null = Invoke-TestSql -ConnectionString $node -Sql "CREATE DATABASE $name TEMPLATE nexus_citus_template"
        }
        return Get-DatabaseUrl $cluster.Coordinator $name
    }
    $null = Invoke-TestSql -ConnectionString (Get-AdminUrl) -Sql "CREATE DATABASE $name"
    $u = Split-PostgresUrl ($env:TEST_DATABASE_URL ? $env:TEST_DATABASE_URL : (Get-AdminUrl))
    "$($u.Base)/$name$($u.Query)"
}

<#
.SYNOPSIS
    Deletes a database made by New-TestDatabase.
.DESCRIPTION
    sqlite: deletes the file and its -wal/-shm/-journal companions.
    postgres: DROP DATABASE ... WITH (FORCE) (disconnects leftover sessions); a database on the
    Citus coordinator is dropped on the coordinator and on every worker.
    Missing databases are not an error.
.EXAMPLE
    Remove-TestDatabase -ConnectionString $cs
#>
function Remove-TestDatabase {
    param([Parameter(Mandatory)][string] $ConnectionString)
    if ((Get-Dialect $ConnectionString) -eq 'sqlite') {
        $path = Get-SqliteFilePath $ConnectionString
        foreach ($suffix in '', '-wal', '-shm', '-journal') {
            Remove-Item -LiteralPath "$path$suffix" -Force -ErrorAction SilentlyContinue
        }
        return
    }
    $u = Split-PostgresUrl $ConnectionString
    $name = $u.Database
    if ($name -notmatch '^nexus_t_[0-9a-f]+$') { throw "Refusing to drop '$name': not made by New-TestDatabase" }
    $cluster = Get-CitusCluster
    if ($cluster -and (Split-PostgresUrl $cluster.Coordinator).Base -eq $u.Base) {
        foreach ($node in @($cluster.Coordinator) + $cluster.Workers) {
            $null = Invoke-TestSql -ConnectionString $node -Sql "DROP DATABASE IF EXISTS $name WITH (FORCE)"
        }
        return
    }
    $null = Invoke-TestSql -ConnectionString (Get-AdminUrl) -Sql "DROP DATABASE IF EXISTS $name WITH (FORCE)"
}

<#
.SYNOPSIS
    The URLs of a Citus test database on each worker (the same database name and login as on the
    coordinator), to look at where rows landed.
.EXAMPLE
    $workers = Get-TestCitusWorkerUrl -ConnectionString $cs   # two URLs
    Invoke-TestSql $workers[0] 'SELECT count(*) FROM pg_class'
#>
function Get-TestCitusWorkerUrl {
    [OutputType([string[]])]
    param([Parameter(Mandatory)][string] $ConnectionString)
    $cluster = Get-CitusCluster
    if (-not $cluster) { throw 'No Citus cluster: run the distributed tier through scripts/test.sh, or call Start-TestCitusCluster first' }
    $name = (Split-PostgresUrl $ConnectionString).Database
    , @($cluster.Workers | ForEach-Object { Get-DatabaseUrl $_ $name })
}

<#
.SYNOPSIS
    Starts (once per run) the Citus coordinator and two workers of scripts/lib/citus.sh and makes
    them the cluster of New-TestDatabase -Citus in this process.
.DESCRIPTION
    Returns SkipReason (set when Citus cannot be had here: skip, saying why), Url (the
    coordinator's database nexus_citus), CoordinatorUrl and WorkerUrls (database postgres),
    StartSeconds. Under the distributed tier (NEXUS_TEST_CITUS=1) it returns that cluster.
    Needs NEXUS_CITUS_ROOT (set by scripts/test.sh).
.EXAMPLE
    $cluster = Start-TestCitusCluster
    if ($cluster.SkipReason) { Set-ItResult -Skipped -Because $cluster.SkipReason; return }
    $cs = New-TestDatabase -Dialect postgres -Citus
#>
function Start-TestCitusCluster {
    param()
    if ($env:NEXUS_TEST_CITUS -eq '1') {
        $cluster = Get-CitusCluster
        return [pscustomobject]@{ SkipReason = $null; Url = $env:TEST_DATABASE_URL; CoordinatorUrl = $cluster.Coordinator; WorkerUrls = $cluster.Workers; StartSeconds = 0 }
    }
    if (-not $env:NEXUS_CITUS_ROOT) {
        return [pscustomobject]@{ SkipReason = 'NEXUS_CITUS_ROOT is not set (run the tests through scripts/test.sh)' }
    }
    $out = @(& bash (Join-Path $PSScriptRoot '../scripts/lib/citus.sh') start 2>&1)
    if ($LASTEXITCODE -ne 0) { throw "scripts/lib/citus.sh start failed: $($out -join "`n")" }
    $vars = @{}
    foreach ($line in $out) { if ("$line" -match '^(\w+)=(.*)$') { $vars[$Matches[1]] = $Matches[2] } }
    if ($vars['SKIP']) { return [pscustomobject]@{ SkipReason = $vars['SKIP'] } }
    $env:NEXUS_TEST_CITUS_COORDINATOR_URL = Get-DatabaseUrl $vars['CITUS_URL'] 'postgres'
    $env:NEXUS_TEST_CITUS_WORKER_URLS = $vars['WORKER_URLS']
    [pscustomobject]@{
        SkipReason     = $null
        Url            = $vars['CITUS_URL']
        CoordinatorUrl = $env:NEXUS_TEST_CITUS_COORDINATOR_URL
        WorkerUrls     = @($vars['WORKER_URLS'] -split ',')
        StartSeconds   = [int]$vars['START_SECONDS']
    }
}

<#
.SYNOPSIS
    Runs SQL against a test database without the Nexus module; returns the output lines.
.DESCRIPTION
    postgres: psql <url> -v ON_ERROR_STOP=1 -At (SQL on stdin).
    sqlite:   sqlite3 -batch -bail <file> (SQL on stdin; creates the file if missing).
    Both print one line per row, columns separated by '|', no headers. Writes one string
    per line to the pipeline (so one row comes back as a plain string and no rows as
    nothing: wrap in @() to count). Throws with the tool's stderr on any error.
    Note: sqlite3 prints only SELECT results; psql -q prints nothing for DDL/DML either.
.EXAMPLE
    $n = Invoke-TestSql -ConnectionString $cs -Sql 'SELECT count(*) FROM items'
.EXAMPLE
    Invoke-TestSql $cs "CREATE TABLE t(x int); INSERT INTO t VALUES (1), (2); SELECT x FROM t"   # -> '1','2'
#>
function Invoke-TestSql {
    [OutputType([string[]])]
    param(
        [Parameter(Mandatory, Position = 0)][string] $ConnectionString,
        [Parameter(Mandatory, Position = 1)][string] $Sql
    )
    if ((Get-Dialect $ConnectionString) -eq 'postgres') {
        $r = Invoke-NativeProcess -FilePath (Get-PsqlPath) -InputText $Sql `
            -ArgumentList @($ConnectionString, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At') `
            -Environment @{ PGCONNECT_TIMEOUT = '10' }
    }
    else {
        $sqlite = (Get-Command sqlite3 -CommandType Application -ErrorAction SilentlyContinue |
            Select-Object -First 1).Source
        if (-not $sqlite) { throw 'sqlite3 CLI not found (run scripts/setup.sh)' }
        $r = Invoke-NativeProcess -FilePath $sqlite -InputText $Sql `
            -ArgumentList @('-batch', '-bail', (Get-SqliteFilePath $ConnectionString))
    }
    if ($r.ExitCode -ne 0) {
        throw "SQL failed (exit $($r.ExitCode)) on $(Get-Dialect $ConnectionString): $($r.StdErr.Trim())`nSQL: $Sql"
    }
    ConvertTo-Lines $r.StdOut
}

<#
.SYNOPSIS
    Imports the built Nexus module ($env:NEXUS_MODULE_PATH) into the session, fresh.
.DESCRIPTION
    Import-Module -Force -Global, so the module is visible to the test file (not only to
    this helper module). Throws if NEXUS_MODULE_PATH is unset or missing. Returns the module.
.EXAMPLE
    BeforeAll { Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force; Import-NexusModuleForTest }
#>
function Import-NexusModuleForTest {
    param()
    if (-not $env:NEXUS_MODULE_PATH) { throw 'NEXUS_MODULE_PATH is not set (run the tests with scripts/test.sh)' }
    if (-not (Test-Path -LiteralPath $env:NEXUS_MODULE_PATH)) { throw "Module not built: $env:NEXUS_MODULE_PATH" }
    Import-Module $env:NEXUS_MODULE_PATH -Force -Global -PassThru -ErrorAction Stop
}

<#
.SYNOPSIS
    Starts a script block in a fresh pwsh child process (does not wait).
.DESCRIPTION
    The child is the same pwsh as this process, run -NoProfile -NonInteractive, with
    $ErrorActionPreference = 'Stop'. Unless -NoModule, it first runs
    Import-Module $env:NEXUS_MODULE_PATH (it fails if the module is not built).
    The script block is passed as text, so it cannot see this session's variables: pass
    values through -ArgumentList (serialised with Export-Clixml, so strings, numbers,
    arrays and hashtables arrive intact) and receive them with param(...).
    The child inherits this environment (TEST_DATABASE_URL etc.) plus -Environment.
    Returns a handle for Wait-NexusChildProcess. Start several, then wait for all, to
    run them in parallel.
.PARAMETER ScriptBlock
    Code to run in the child. Its output goes to StdOut as text; `exit N` sets the exit code;
    an uncaught error gives exit code 1 and the error on StdErr.
.PARAMETER ArgumentList
    Positional arguments for the script block's param() block.
.PARAMETER Environment
    Extra environment variables for the child (hashtable name -> value).
.PARAMETER NoModule
    Do not import the Nexus module in the child.
.EXAMPLE
    $children = 1..4 | ForEach-Object {
        Start-NexusChildProcess -ArgumentList $cs, $_ -ScriptBlock {
            param($cs, $n)
            # ... write with the module ...
        }
    }
    $results = Wait-NexusChildProcess -Child $children
    $results.ExitCode | Should -Be @(0, 0, 0, 0)
#>
function Start-NexusChildProcess {
    param(
        [Parameter(Mandatory)][scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @(),
        [hashtable] $Environment,
        [switch] $NoModule
    )
    $dir = Get-RunDirectory
    $id = [guid]::NewGuid().ToString('N')
    $argsFile = Join-Path $dir "child-$id.args.xml"
    $scriptFile = Join-Path $dir "child-$id.ps1"
    # -InputObject keeps the array as one object; the child gets it back as a list.
    Export-Clixml -LiteralPath $argsFile -InputObject ([System.Collections.ArrayList]@($ArgumentList)) -Depth 10
    $import = if ($NoModule) { '' } else {
        'if (-not $env:NEXUS_MODULE_PATH) { throw "NEXUS_MODULE_PATH is not set" }' + "`n" +
        'Import-Module $env:NEXUS_MODULE_PATH -ErrorAction Stop'
    }
    Set-Content -LiteralPath $scriptFile -Encoding utf8 -Value @"
param([string] `$ArgsFile)
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'  # no ANSI colours in captured output
$import
`$childArgs = [System.Collections.Generic.List[object]]::new()
foreach (`$item in (Import-Clixml -LiteralPath `$ArgsFile)) { `$childArgs.Add(`$item) }
`$childArgs = `$childArgs.ToArray()
& {
$($ScriptBlock.ToString())
} @childArgs
"@
    # Same pwsh as ours. Run as a .NET tool, our process is `dotnet` and the first
    # command-line argument is pwsh.dll, so the child needs both.
    $exe = (Get-Process -Id $PID).Path
    $prefix = @()
    if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        $prefix = @([Environment]::GetCommandLineArgs()[0])
    }
    $handle = Start-NativeProcess -FilePath $exe -Environment $Environment `
        -ArgumentList ($prefix + @('-NoProfile', '-NonInteractive', '-File', $scriptFile, $argsFile))
    $handle | Add-Member -NotePropertyName Files -NotePropertyValue @($argsFile, $scriptFile) -PassThru
}

<#
.SYNOPSIS
    Waits for child processes from Start-NexusChildProcess; returns one result each, in order.
.DESCRIPTION
    Each result has ExitCode (int), StdOut, StdErr (strings) and Output (StdOut as lines).
    A child still running after -TimeoutSeconds (default 300, for each child) is killed and
    an error is thrown.
.EXAMPLE
    $r = Wait-NexusChildProcess -Child $children
    $r | Where-Object ExitCode -ne 0 | ForEach-Object StdErr
#>
function Wait-NexusChildProcess {
    param([Parameter(Mandatory, Position = 0)][object[]] $Child, [int] $TimeoutSeconds = 300)
    foreach ($c in $Child) {
        try {
            $r = Wait-NativeProcess $c $TimeoutSeconds
            [pscustomobject]@{
                ExitCode = $r.ExitCode
                StdOut   = $r.StdOut
                StdErr   = $r.StdErr
                Output   = @(ConvertTo-Lines $r.StdOut)
            }
        }
        finally {
            Remove-Item -LiteralPath $c.Files -Force -ErrorAction SilentlyContinue
        }
    }
}

<#
.SYNOPSIS
    Runs a script block in a fresh pwsh child (Nexus module imported) and waits for it.
.DESCRIPTION
    Start-NexusChildProcess + Wait-NexusChildProcess for a single child. Returns an object
    with ExitCode, StdOut, StdErr, Output (lines). See Start-NexusChildProcess for how
    arguments travel and what the child has.
.EXAMPLE
    $r = Invoke-NexusInFreshSession -ArgumentList $cs -ScriptBlock { param($cs) (Get-Module Nexus).Version.ToString() }
    $r.ExitCode | Should -Be 0
#>
function Invoke-NexusInFreshSession {
    param(
        [Parameter(Mandatory)][scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @(),
        [hashtable] $Environment,
        [switch] $NoModule,
        [int] $TimeoutSeconds = 300
    )
    $child = Start-NexusChildProcess -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList `
        -Environment $Environment -NoModule:$NoModule
    Wait-NexusChildProcess -Child $child -TimeoutSeconds $TimeoutSeconds
}

<#
.SYNOPSIS
    Connects to a test store (the runspace default unless -NoDefault) and brings it to the
    newest schema, quietly: what every store-cmdlet suite starts from. Under NEXUS_TEST_LAYOUT
    (partitioned or distributed) a PostgreSQL store is then converted to that layout (once: a
    store connected again keeps it), so the same suites run on the keyed tables.
#>
function Connect-StoreForTest([string] $ConnectionString, [switch] $NoDefault) {
    $store = Connect-NexusStore -ConnectionString $ConnectionString -NoDefault:$NoDefault -WarningAction SilentlyContinue
    $null = Invoke-NexusMigration -Store $store -Confirm:$false
    if ($env:NEXUS_TEST_LAYOUT -and $store.Provider -eq 'PostgreSql' -and $store.Layout.Name -ne $env:NEXUS_TEST_LAYOUT) {
        $null = Convert-NexusStore -Store $store -Layout $env:NEXUS_TEST_LAYOUT -Confirm:$false
        if ($store.Layout.Name -ne $env:NEXUS_TEST_LAYOUT) { throw "Convert-NexusStore left $($store.Database) $($store.Layout), not $($env:NEXUS_TEST_LAYOUT)" }
    }
    $store
}

<#
.SYNOPSIS
    A [powershell] instance in a new runspace of this process that imports the module under test
    and then runs -ScriptBlock with -ArgumentList. Invoke() it, or BeginInvoke() and Stop() it
    (a pipeline stop, as Ctrl+C does); its Streams hold the progress and errors. Dispose it.
#>
function New-NexusRunspacePipeline {
    param(
        [Parameter(Mandatory)][scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @()
    )
    $ps = [powershell]::Create()
    $null = $ps.AddCommand('Import-Module').AddArgument($env:NEXUS_MODULE_PATH).AddStatement().AddScript($ScriptBlock.ToString())
    foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
    $ps
}

Export-ModuleMember -Function Get-TestDialects, New-TestDatabase, Remove-TestDatabase, Invoke-TestSql,
    Get-TestCitusWorkerUrl, Start-TestCitusCluster,
    Import-NexusModuleForTest, Start-NexusChildProcess, Wait-NexusChildProcess, Invoke-NexusInFreshSession,
    New-NexusRunspacePipeline, Connect-StoreForTest
