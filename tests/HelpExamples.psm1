# Runs a cmdlet's help examples as written, so an example that stopped working fails a test.
#
#   BeforeAll { Import-Module "$PSScriptRoot/HelpExamples.psm1" -Force }
#   $runs = Invoke-HelpExample -Command Get-NexusStore -Setup '$null = Connect-NexusStore -Path ./s.db'
#   foreach ($run in $runs) { $run.ExitCode | Should -Be 0 -Because "$($run.Title): $($run.StdErr)" }

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/TestHelpers.psm1"   # Start-NexusChildProcess, Wait-NexusChildProcess

<#
.SYNOPSIS
    The examples of a command's help: Title and Code, in help order.
#>
function Get-HelpExample {
    param([Parameter(Mandatory)][string] $Command)
    foreach ($example in @((Get-Help $Command -Examples).examples.example)) {
        [pscustomobject]@{
            Title = ([string]$example.title).Trim().Trim('-').Trim()
            Code  = (@($example.code) -join "`n").Trim()
        }
    }
}

<#
.SYNOPSIS
    Runs every help example of -Command, each in its own fresh pwsh session (the built module
    imported, $ErrorActionPreference = 'Stop', no prompts possible) whose current folder is a
    new empty folder; the sessions run in parallel. Returns one result per example, in order:
    Title, Code (as run), Folder, ExitCode, StdOut, StdErr.
.PARAMETER Setup
    PowerShell run before each example in the same session: what an example takes for granted
    (a default store, a stand-in for an interactive cmdlet such as Get-Credential).
.PARAMETER Replace
    Literal text -> text to put in its place in the examples: for values that only make sense on
    the reader's machine (a server name). Each key must occur in some example, so a replacement
    that no longer applies fails instead of silently running something else.
.PARAMETER Environment
    Extra environment variables for the sessions (DATABASE_URL and the like).
#>
function Invoke-HelpExample {
    param(
        [Parameter(Mandatory)][string] $Command,
        [string] $Setup = '',
        [hashtable] $Replace = @{},
        [hashtable] $Environment = @{}
    )
    $examples = @(Get-HelpExample -Command $Command)
    if ($examples.Count -eq 0) { throw "$Command has no help examples to run" }
    foreach ($key in $Replace.Keys) {
        if (-not ($examples | Where-Object { $_.Code.Contains($key) })) { throw "No example of $Command contains '$key' (-Replace)" }
    }

    $runs = foreach ($example in $examples) {
        $code = $example.Code
        foreach ($key in $Replace.Keys) { $code = $code.Replace($key, [string]$Replace[$key]) }
        $folder = Join-Path $env:NEXUS_TEST_RUN_DIR "example-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $folder
        $script = [scriptblock]::Create("param(`$folder)`nSet-Location -LiteralPath `$folder`n$Setup`n$code")
        [pscustomobject]@{
            Title  = $example.Title
            Code   = $code
            Folder = $folder
            Child  = Start-NexusChildProcess -ScriptBlock $script -ArgumentList $folder -Environment $Environment
        }
    }
    foreach ($run in $runs) {
        $result = Wait-NexusChildProcess -Child $run.Child
        [pscustomobject]@{
            Title    = $run.Title
            Code     = $run.Code
            Folder   = $run.Folder
            ExitCode = $result.ExitCode
            StdOut   = $result.StdOut
            StdErr   = $result.StdErr
        }
    }
}

Export-ModuleMember -Function Get-HelpExample, Invoke-HelpExample
