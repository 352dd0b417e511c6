<#
.SYNOPSIS
    End-to-end demo of the Nexus module on the embedded SQLite default.
.DESCRIPTION
    Imports the built module (out/Nexus), opens a fresh store in -Folder, migrates it, shows the
    store and its migrations, then runs the store demo (scripts/demo/store-demo.ps1) if present.
#>
param([string] $Folder = 'out/demo')
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot
Import-Module (Join-Path $repo 'out/Nexus/Nexus.psd1')

$null = New-Item -ItemType Directory -Force -Path $Folder
$storePath = Join-Path (Resolve-Path $Folder) 'nexus.db'
Remove-Item "$storePath*" -Force -ErrorAction SilentlyContinue

Write-Host "`n== Connect-NexusStore -Path $storePath" -ForegroundColor Cyan
$store = Connect-NexusStore -Path $storePath
$store | Format-List | Out-Host

Write-Host '== Invoke-NexusMigration (a new embedded store is created at the newest schema: nothing to do)' -ForegroundColor Cyan
Invoke-NexusMigration -Verbose 4>&1 | Out-Host

Write-Host '== Get-NexusMigration' -ForegroundColor Cyan
Get-NexusMigration | Format-Table | Out-Host

$storeDemo = Join-Path $PSScriptRoot 'demo/store-demo.ps1'
if (Test-Path $storeDemo) {
    & $storeDemo -Store $store
}

Disconnect-NexusStore
Write-Host "demo: done; the store is at $storePath" -ForegroundColor Green
