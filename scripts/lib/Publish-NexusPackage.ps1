<#
.SYNOPSIS
    Publishes a built module folder into a folder repository: <Repository>/Nexus.<Version>.nupkg.
.DESCRIPTION
    Called by scripts/pack.sh, which runs it with a throwaway XDG_DATA_HOME so that the
    repository registered here never reaches the caller's own PSResourceGet settings.
    Refuses a module whose manifest is not -Version; a package of that version already in the
    folder is replaced.
#>
param(
    [Parameter(Mandatory)][string] $Module,
    [Parameter(Mandatory)][string] $Repository,
    [Parameter(Mandatory)][string] $Version
)
$ErrorActionPreference = 'Stop'
$manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $Module 'Nexus.psd1')
if ($manifest.ModuleVersion -ne $Version) {
    throw "pack: $Module is version $($manifest.ModuleVersion), not ${Version}: build it again (drop --no-build)"
}
$package = Join-Path $Repository "Nexus.$Version.nupkg"
if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package }
Register-PSResourceRepository -Name NexusPack -Uri $Repository -Trusted
Publish-PSResource -Path $Module -Repository NexusPack
if (-not (Test-Path -LiteralPath $package)) { throw "pack: Publish-PSResource made no $package" }
"pack: $package ($([math]::Round((Get-Item -LiteralPath $package).Length / 1MB, 1)) MB)"
