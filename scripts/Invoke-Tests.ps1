<#
.SYNOPSIS
    Runs the Pester suites; called by scripts/test.sh (which sets the environment).
.DESCRIPTION
    Runs every tests/**/*.Tests.ps1 and examples/**/*.Tests.ps1, or only the files/folders
    given as arguments.
    Environment: NEXUS_PESTER_PATH (Pester.psd1, required), NEXUS_MODULE_PATH,
    TEST_DATABASE_URL, and optionally NEXUS_TEST_TAG / NEXUS_TEST_EXCLUDE_TAG
    (comma-separated Pester tags to include / exclude), NEXUS_TEST_LAYOUT (a layout tier: its
    name labels the per-dialect lines and the result file), NEXUS_TEST_SKIP_REASON (discover
    the tests only and report every one of them skipped, with that reason).
    Prints counts per dialect, then as its very last line
    'Tests: N passed, N failed, N skipped'. Exits 1 if a test, block or file failed,
    or if no test ran.
.EXAMPLE
    bash scripts/test.sh tests/Harness.Tests.ps1
#>
param([Parameter(ValueFromRemainingArguments)][string[]] $Path)

$ErrorActionPreference = 'Stop'
$repo = Split-Path -Parent $PSScriptRoot

if (-not $env:NEXUS_PESTER_PATH -or -not (Test-Path -LiteralPath $env:NEXUS_PESTER_PATH)) {
    Write-Host "NEXUS_PESTER_PATH does not point at Pester.psd1 ('$env:NEXUS_PESTER_PATH'): run scripts/test.sh"
    Write-Host 'Tests: 0 passed, 1 failed'
    exit 1
}
Import-Module $env:NEXUS_PESTER_PATH -Force

# One temp dir per run for SQLite files and child-session scripts (see tests/TestHelpers.psm1),
# named after our PID. Dirs of runs that were killed (their PID is gone) are removed first.
$tmp = [System.IO.Path]::GetTempPath()
Get-ChildItem -LiteralPath $tmp -Directory -Filter 'nexus-tests-*' -ErrorAction SilentlyContinue |
    Where-Object { $_.Name -match '^nexus-tests-(\d+)-' -and -not (Get-Process -Id ([int]$Matches[1]) -ErrorAction SilentlyContinue) } |
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
$env:NEXUS_TEST_RUN_DIR = Join-Path $tmp "nexus-tests-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
$null = New-Item -ItemType Directory -Path $env:NEXUS_TEST_RUN_DIR -Force

$outDir = Join-Path $repo 'out'
$null = New-Item -ItemType Directory -Path $outDir -Force

$cfg = New-PesterConfiguration
# Without arguments: every suite, and the examples' own Pester files (so the examples cannot rot).
$cfg.Run.Path = if ($Path) { $Path } else { @((Join-Path $repo 'tests'), (Join-Path $repo 'examples')) }
$cfg.Run.PassThru = $true
$cfg.Run.Exit = $false
$cfg.Output.Verbosity = 'Detailed'
# Colours only for a terminal (test.sh pipes us through tee, so it tells us via NEXUS_TEST_COLOR).
$cfg.Output.RenderMode = if ($env:NEXUS_TEST_COLOR -or -not [Console]::IsOutputRedirected) { 'Ansi' } else { 'Plaintext' }
$cfg.TestResult.Enabled = $true
$cfg.TestResult.OutputFormat = 'NUnitXml'
# A layout tier keeps its own result file beside the main run's.
$cfg.TestResult.OutputPath = Join-Path $outDir ($env:NEXUS_TEST_LAYOUT ? "test-results-$($env:NEXUS_TEST_LAYOUT).xml" : 'test-results.xml')
if ($env:NEXUS_TEST_TAG) { $cfg.Filter.Tag = $env:NEXUS_TEST_TAG -split ',' }
if ($env:NEXUS_TEST_EXCLUDE_TAG) { $cfg.Filter.ExcludeTag = $env:NEXUS_TEST_EXCLUDE_TAG -split ',' }
# A tier that cannot run here (no Citus): discovery only, so the count of what was skipped is real.
if ($env:NEXUS_TEST_SKIP_REASON) {
    $cfg.Run.SkipRun = $true
    $cfg.TestResult.Enabled = $false
}

try {
    $result = Invoke-Pester -Configuration $cfg
}
catch {
    Write-Host "Invoke-Pester failed: $_"
    Write-Host "Tests: 0 passed, 1 failed"
    exit 1
}
finally {
    Remove-Item -LiteralPath $env:NEXUS_TEST_RUN_DIR -Recurse -Force -ErrorAction SilentlyContinue
}

# Dialect of a test: a 'Dialect' value in its own -ForEach data or an enclosing block's
# (as Get-TestDialects gives), else a 'sqlite'/'postgres' tag on it or an enclosing block.
function Get-TestDialect($Test) {
    $node = $Test
    while ($node) {
        $data = $node.Data
        if ($data -is [System.Collections.IDictionary] -and $data.Contains('Dialect')) { return [string]$data['Dialect'] }
        $tag = @($node.Tag) | Where-Object { $_ -in 'sqlite', 'postgres' } | Select-Object -First 1
        if ($tag) { return $tag }
        $node = if ($node -is [Pester.Test]) { $node.Block } else { $node.Parent }
    }
    $null
}

if ($env:NEXUS_TEST_SKIP_REASON) {
    $count = @($result.Tests).Count
    Write-Host "Skipped $count tests$($env:NEXUS_TEST_LAYOUT ? " of layout $($env:NEXUS_TEST_LAYOUT)" : ''): $($env:NEXUS_TEST_SKIP_REASON)"
    Write-Host "Tests: 0 passed, $($result.FailedContainersCount) failed, $count skipped"
    exit ([int]($result.FailedContainersCount -gt 0))
}

# The per-dialect lines of a layout tier name the layout: 'postgres (partitioned)'.
$layout = $env:NEXUS_TEST_LAYOUT ? " ($($env:NEXUS_TEST_LAYOUT))" : ''
$byDialect = @($result.Tests | Where-Object { $_.Result -in 'Passed', 'Failed', 'Skipped' } |
    ForEach-Object { [pscustomobject]@{ Dialect = Get-TestDialect $_; Result = $_.Result } } |
    Where-Object Dialect | Group-Object Dialect | Sort-Object Name)
if ($byDialect) {
    Write-Host ''
    foreach ($g in $byDialect) {
        $count = { param($r) @($g.Group | Where-Object Result -eq $r).Count }
        Write-Host ("  {0,-9} {1} passed, {2} failed, {3} skipped" -f "$($g.Name)$($layout):", (& $count 'Passed'), (& $count 'Failed'), (& $count 'Skipped'))
    }
}

$problems = @()
if ($result.FailedBlocksCount -gt 0) { $problems += "$($result.FailedBlocksCount) block(s) failed in BeforeAll/AfterAll" }
if ($result.FailedContainersCount -gt 0) { $problems += "$($result.FailedContainersCount) test file(s) failed to run" }
if ($result.PassedCount + $result.FailedCount -eq 0) { $problems += 'no test ran' }
foreach ($p in $problems) { Write-Host "ERROR: $p" }

# A block or file that failed to run counts as a failure in the summary line too, so the line
# never reads "0 failed" on a run that failed.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($result.PassedCount + $result.FailedCount -eq 0 -and $failed -eq 0) { $failed = 1 }
Write-Host "Tests: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
exit ([int]($result.FailedCount -gt 0 -or $problems.Count -gt 0))
