<#
.SYNOPSIS
    Archives Nexus records that have not changed for a number of days: moves each under an
    archive prefix (/reports/q3.pdf becomes /archive/reports/q3.pdf), attributes and all.
.DESCRIPTION
    An example runbook for an ops team, tested by Archive-NexusRecords.Tests.ps1 next to it
    (see Get-Help about_Nexus_Testing). Nothing is deleted: an archived record keeps its
    attributes, size and hash, and can be moved back with Rename-NexusMetadata.

    A record is archived when its ModifiedAt is more than -OlderThanDays days before -AsOf
    (default: now). Records already under -ArchivePrefix are left alone, so running the
    runbook again archives only what has aged since. Supports -WhatIf and -Confirm.
    Writes the archived records (at their new paths) to the pipeline.
.PARAMETER OlderThanDays
    Archive records not modified in this many days.
.PARAMETER Prefix
    Only records whose path starts with this text (default '/': all).
.PARAMETER ArchivePrefix
    Where archived records go; must start and end with '/' (default '/archive/').
.PARAMETER Tenant
    The tenant whose records to archive (default: the default tenant).
.PARAMETER AsOf
    The moment ages are measured from (default: now). Lets a test or a catch-up run say
    "as of that day".
.PARAMETER Store
    The store to work on (default: the connected store of this runspace).
.EXAMPLE
    ./Archive-NexusRecords.ps1 -OlderThanDays 90 -Prefix /reports/ -WhatIf
    Shows which report records a real run would archive; changes nothing.
.EXAMPLE
    Connect-NexusStore -Path /var/lib/nexus/nexus.db
    ./Archive-NexusRecords.ps1 -OlderThanDays 365 -Confirm:$false | Measure-Object
    Archives every record untouched for a year and counts them (for an unattended job).
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
param(
    [Parameter(Mandatory)]
    [ValidateRange(1, 36500)]
    [int] $OlderThanDays,

    [ValidatePattern('^/')]
    [string] $Prefix = '/',

    [ValidatePattern('^/(.*/)?$')]
    [ValidateScript({ $_ -ne '/' })]
    [string] $ArchivePrefix = '/archive/',

    [string] $Tenant,

    [datetime] $AsOf = [datetime]::UtcNow,

    [object] $Store
)

$ErrorActionPreference = 'Stop'
$cutoff = $AsOf.ToUniversalTime().AddDays(-$OlderThanDays)
$onStore = @{}
if ($Store) { $onStore.Store = $Store }
$list = @{ Prefix = $Prefix } + $onStore
if ($Tenant) { $list.Tenant = $Tenant }

# Read the whole list first, then move: never rename while a listing is still being read.
$due = @(Get-NexusMetadata @list | Where-Object {
        $_.ModifiedAt -lt $cutoff -and -not $_.Path.StartsWith($ArchivePrefix, [StringComparison]::Ordinal)
    })
Write-Verbose "$($due.Count) record(s) under $Prefix not modified since $($cutoff.ToString('u'))"

foreach ($record in $due) {
    $target = $ArchivePrefix.TrimEnd('/') + $record.Path
    if ($PSCmdlet.ShouldProcess($record.Path, "Archive to $target")) {
        # Asked once here; the rename itself must not ask again or act as -WhatIf.
        Rename-NexusMetadata -Path $record.Path -NewPath $target -Tenant $record.Tenant -PassThru -Confirm:$false -WhatIf:$false @onStore
    }
}
