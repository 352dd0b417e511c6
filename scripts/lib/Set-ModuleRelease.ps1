<#
.SYNOPSIS
    Writes the release into a built module manifest: ModuleVersion and the ReleaseNotes.
.DESCRIPTION
    The version has one source (version.txt, or NEXUS_VERSION for a one-off build); the release
    notes have one source (CHANGELOG.md). The checked-in Nexus.psd1 carries placeholders; this
    script, called by scripts/build.sh on the copy in out/Nexus, replaces them in the text (so
    the manifest keeps its layout and comments) and reads the result back to check it.

    ReleaseNotes is the newest *released* section of CHANGELOG.md: the first '## [x.y.z]'
    heading, never '## [Unreleased]'. When that section is not the version being built (a local
    or test build with NEXUS_VERSION), a warning says so; scripts/pack.sh refuses such a package
    unless the version was given explicitly.
.EXAMPLE
    pwsh -File scripts/lib/Set-ModuleRelease.ps1 -Manifest out/Nexus/Nexus.psd1 -Version 0.2.0 -Changelog CHANGELOG.md
#>
param(
    [Parameter(Mandatory)][string] $Manifest,
    [Parameter(Mandatory)][ValidatePattern('^\d+\.\d+\.\d+$')][string] $Version,
    [Parameter(Mandatory)][string] $Changelog
)
$ErrorActionPreference = 'Stop'

# The newest released section: its heading line and its body up to the next '## ' heading.
$lines = Get-Content -LiteralPath $Changelog
$start = -1
for ($i = 0; $i -lt $lines.Count; $i++) {
    if ($lines[$i] -match '^## \[(?<version>\d+\.\d+\.\d+)\]') { $start = $i; $released = $Matches.version; break }
}
if ($start -lt 0) { throw "$Changelog has no released section ('## [x.y.z] - date'): nothing to put in ReleaseNotes" }
$end = $start + 1
while ($end -lt $lines.Count -and $lines[$end] -notmatch '^## ') { $end++ }
$notes = ($lines[$start..($end - 1)] -join "`n").Trim() -replace '^## ', ''
if ($released -ne $Version) {
    Write-Warning "building $Version, but the newest release in $Changelog is ${released}: ReleaseNotes are $released's"
}

# Single-quoted PowerShell strings: a quote is written twice; line breaks may stay.
$quoted = "'" + ($notes -replace "'", "''") + "'"
$text = Get-Content -LiteralPath $Manifest -Raw
foreach ($field in @{ Key = 'ModuleVersion'; Value = "'$Version'" }, @{ Key = 'ReleaseNotes'; Value = $quoted }) {
    $pattern = "(?m)^(\s*$($field.Key)\s*=\s*)'(?:[^']|'')*'"
    if ($text -notmatch $pattern) { throw "$Manifest has no $($field.Key) = '...' line to fill" }
    $value = $field.Value
    $text = [regex]::Replace($text, $pattern, { param($m) $m.Groups[1].Value + $value }, 'None')
}
Set-Content -LiteralPath $Manifest -Value $text -NoNewline -Encoding utf8

$data = Import-PowerShellDataFile -LiteralPath $Manifest
if ($data.ModuleVersion -ne $Version -or $data.PrivateData.PSData.ReleaseNotes -ne $notes) {
    throw "$Manifest did not take version $Version and the release notes of $released"
}
