# Helpers for tests/Original.Tests.ps1: run the original Nexus system's own code (its Alembic
# revision, its SQLAlchemy models and store API) from ../shared/vendor/nexus-original, through
# tests/original/driver.py and Debian's /usr/bin/python3. Nothing of the original is copied here.
#
#   Get-OriginalSkipReason           $null when the tier can run, else why it is skipped
#   New-StoreByOriginalSystem -Dialect d     a new database made by the original's `alembic upgrade head`
#   Invoke-OriginalAlembic $cs verb  the original's Alembic (upgrade head, current, downgrade base)
#   Invoke-OriginalOps $cs @(ops)    the original's store API (put, get, list, set, getattr, ...)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/TestHelpers.psm1"

$script:Python = '/usr/bin/python3'
$script:Driver = Join-Path $PSScriptRoot 'original/driver.py'
$script:Sa14Reader = $false

function Get-OriginalVendorPath {
    # From the repository root the vendor folder is ../shared/vendor/nexus-original; a worktree may sit
    # one level deeper than the main checkout, so look upwards for the first shared/ that has it.
    if ($env:NEXUS_ORIGINAL_VENDOR) { return $env:NEXUS_ORIGINAL_VENDOR }
    # Stops at the filesystem root (a clone elsewhere, such as /tmp/x, has no shared/ above it).
    $dir = Split-Path -Parent $PSScriptRoot
    while ($dir) {
        $parent = Split-Path -Parent $dir
        if (-not $parent -or $parent -eq $dir) { break }
        $candidate = Join-Path $parent 'shared/vendor/nexus-original'
        if (Test-Path -LiteralPath (Join-Path $candidate 'alembic.ini')) { return $candidate }
        $dir = $parent
    }
    $null
}

function Get-OriginalSkipReason {
    $vendor = Get-OriginalVendorPath
    if (-not $vendor) {
        return 'the original Nexus code is absent (../shared/vendor/nexus-original not found): the side-by-side tier with the original system is skipped'
    }
    if (-not (Test-Path -LiteralPath $script:Python)) { return "Debian's $script:Python is missing (run scripts/setup.sh)" }
    $r = Invoke-OriginalPython @('-c', 'import sqlalchemy, alembic, psycopg2, cachetools')
    if ($r.ExitCode -ne 0) {
        return "Debian's python3-sqlalchemy/-alembic/-psycopg2/-cachetools are missing (run scripts/setup.sh): $($r.StdErr.Trim())"
    }
    $null
}

function Invoke-OriginalPython([string[]] $ArgumentList, [string] $InputText = '') {
    $vendor = Get-OriginalVendorPath
    $psi = [System.Diagnostics.ProcessStartInfo]::new($script:Python)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.WorkingDirectory = [System.IO.Path]::GetTempPath()
    $psi.Environment['PYTHONPATH'] = "$vendor/sa14-shim:$vendor/src"
    $psi.Environment['NEXUS_ORIGINAL_VENDOR'] = $vendor
    $psi.Environment['PYTHONIOENCODING'] = 'utf-8'
    # The original runs on SQLAlchemy 2.0, which reads SQLite timestamps with datetime.fromisoformat;
    # Debian has 1.4, whose reader the shim replaces by 2.0's unless a test asks for 1.4's (-Sa14Reader).
    $psi.Environment['NEXUS_COMPAT_SA20_DT'] = $script:Sa14Reader ? '0' : '1'
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Write($InputText)
    $p.StandardInput.Close()
    $err = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    [pscustomobject]@{ ExitCode = $p.ExitCode; StdOut = $out; StdErr = $err.Result }
}

<#
.SYNOPSIS
    Runs the original's Alembic on a test database; returns stdout and stderr together, throws on failure
    unless -AllowFailure (then returns an object with ExitCode and Output).
#>
function Invoke-OriginalAlembic {
    param(
        [Parameter(Mandatory, Position = 0)][string] $ConnectionString,
        [Parameter(Mandatory, Position = 1, ValueFromRemainingArguments)][string[]] $Arguments,
        [switch] $AllowFailure
    )
    $r = Invoke-OriginalPython (@($script:Driver, 'alembic', $ConnectionString) + $Arguments)
    $output = "$($r.StdOut)`n$($r.StdErr)"
    if ($AllowFailure) { return [pscustomobject]@{ ExitCode = $r.ExitCode; Output = $output } }
    if ($r.ExitCode -ne 0) { throw "The original's alembic $($Arguments -join ' ') failed: $output" }
    $output
}

<#
.SYNOPSIS
    Runs operations through the original's store API; returns one result object per operation
    (ok, record, records, exists, value_json, or error).
.EXAMPLE
    Invoke-OriginalOps $cs @(@{ op = 'put'; path = '/a'; size = 3 }, @{ op = 'set'; path = '/a'; key = 'k'; value_json = '[1, NaN]' })
#>
function Invoke-OriginalOps {
    param(
        [Parameter(Mandatory, Position = 0)][string] $ConnectionString,
        [Parameter(Mandatory, Position = 1)][object[]] $Operations,
        # Read SQLite timestamps with Debian's SQLAlchemy 1.4 (space-separated text only), not 2.0's fromisoformat.
        [switch] $Sa14Reader
    )
    $script:Sa14Reader = [bool]$Sa14Reader
    try {
        $r = Invoke-OriginalPython @($script:Driver, 'ops', $ConnectionString) -InputText (ConvertTo-Json -InputObject @($Operations) -Depth 10 -Compress)
    }
    finally { $script:Sa14Reader = $false }
    if ($r.ExitCode -ne 0) { throw "The original's store API failed: $($r.StdErr.Trim())" }
    , @(ConvertFrom-Json -InputObject $r.StdOut -DateKind String)
}

<#
.SYNOPSIS
    A new test database made exactly as the original makes one: its own `alembic upgrade head`.
#>
function New-StoreByOriginalSystem {
    param([Parameter(Mandatory)][ValidateSet('sqlite', 'postgres')][string] $Dialect)
    $cs = New-TestDatabase -Dialect $Dialect
    $null = Invoke-OriginalAlembic $cs upgrade head
    $cs
}

Export-ModuleMember -Function Get-OriginalSkipReason, Get-OriginalVendorPath, Invoke-OriginalAlembic, Invoke-OriginalOps, New-StoreByOriginalSystem
