<#
.SYNOPSIS
    The store at work: records of real files, a prefix listing, attributes set and found by value,
    a chunk counted and collected.
.DESCRIPTION
    Works on the given store, or on this session's default store (Connect-NexusStore first; on a
    new embedded file the schema is created at once). Everything it writes lives under /demo/ in
    the tenant 'demo' and is purged at the end, so it can run against any store.
.PARAMETER Store
    The store to use (default: this session's default store).
.PARAMETER Folder
    The folder whose files become records (default: the module's C# sources in this repository).
.EXAMPLE
    Import-Module ./out/Nexus/Nexus.psd1
    Connect-NexusStore -Path ./nexus.db | Out-Null
    ./scripts/demo/store-demo.ps1
#>
param(
    $Store = (Get-NexusStore),
    [string] $Folder = (Join-Path $PSScriptRoot '../../src/PowerShell')
)
$ErrorActionPreference = 'Stop'
$common = @{ Store = $Store; Tenant = 'demo' }
$root = (Resolve-Path $Folder).Path

# 1. One record per real file, piped in (Size, PhysicalPath, ETag bind by property name).
Get-ChildItem $root -File -Recurse |
    ForEach-Object {
        [pscustomobject]@{
            Path         = '/demo/' + [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/')
            Size         = $_.Length
            PhysicalPath = $_.FullName
            ETag         = (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
            MimeType     = if ($_.Extension -eq '.cs') { 'text/x-csharp' } else { 'application/xml' }
        }
    } | Set-NexusMetadata @common
"Stored $(@(Get-NexusMetadata @common -Prefix /demo/).Count) records from $root"

# 2. A prefix listing, in byte-wise path order.
Get-NexusMetadata @common -Prefix /demo/Store/ -First 5 | Format-Table Path, Size, MimeType, Version

# 3. Attributes set, then found by value.
Get-NexusMetadata @common -Prefix /demo/Store/ | Where-Object Path -like '*Chunk*' |
    Set-NexusAttribute @common -Attributes @{ area = 'chunks'; reviewed = (Get-Date); tags = @('store', 'gc') }
Get-NexusAttribute @common -Path (Get-NexusMetadata @common -Prefix /demo/Store/ -Attribute @{ area = 'chunks' } -First 1).Path
"Records tagged 'gc':"
(Get-NexusMetadata @common -Prefix /demo/ -Attribute @{ tags = 'gc' }).Path

# 4. A chunk counted (two files refer to it) and collected once nothing does.
$first = Get-NexusMetadata @common -Prefix /demo/ -First 1
1..2 | ForEach-Object { Add-NexusChunk -Store $Store -ContentHash $first.ETag -Size $first.Size -StoragePath $first.PhysicalPath }
"RefCount after two references: $((Get-NexusChunk -Store $Store -ContentHash $first.ETag).RefCount)"
Remove-NexusChunk -Store $Store -ContentHash $first.ETag, $first.ETag
Clear-NexusChunk -Store $Store -Confirm:$false | Format-Table ContentHash, RefCount, StoragePath

# Leave the store as it was.
Remove-NexusMetadata @common -Path '/demo/*' -Purge -Confirm:$false
