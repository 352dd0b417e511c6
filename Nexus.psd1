@{
    RootModule           = 'Nexus.PowerShell.dll'
    # Written by scripts/build.sh from version.txt (or NEXUS_VERSION); 0.0.0 in the source tree.
    ModuleVersion        = '0.0.0'
    GUID                 = '6f0c2d4e-8a51-4f0b-9c3e-2b7d1a9e5c40'
    Author               = 'Nexus.PowerShell contributors'
    CompanyName          = 'Nexus'
    Copyright            = '(c) Nexus.PowerShell contributors. Licensed under the Apache License 2.0.'
    Description          = 'Runs the Nexus metadata store (file records, attributes, content chunks) on an embedded SQLite file or on PostgreSQL: connect, migrate, query, move and check it from PowerShell.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @(
        'Nexus.Store.format.ps1xml'
        'Nexus.Metadata.format.ps1xml'
        'Nexus.Migration.format.ps1xml'
        'Nexus.Transfer.format.ps1xml'
        'Nexus.Operations.format.ps1xml'
    )
    CmdletsToExport      = @(
        # connection
        'Connect-NexusStore'
        'Disconnect-NexusStore'
        'Get-NexusStore'
        # migrations
        'Invoke-NexusMigration'
        'Get-NexusMigration'
        'New-NexusMigration'
        # file records
        'Set-NexusMetadata'
        'Get-NexusMetadata'
        'Get-NexusTenant'
        'Test-NexusMetadata'
        'Remove-NexusMetadata'
        'Rename-NexusMetadata'
        # attributes
        'Set-NexusAttribute'
        'Get-NexusAttribute'
        'Remove-NexusAttribute'
        # content chunks
        'Add-NexusChunk'
        'Remove-NexusChunk'
        'Get-NexusChunk'
        'Clear-NexusChunk'
        # moving data
        'Copy-NexusData'
        'Export-NexusData'
        'Import-NexusData'
        'Backup-NexusStore'
        # layouts
        'Convert-NexusStore'
        # operating the store
        'Test-NexusStore'
        'Test-NexusMigration'
        'Get-NexusStoreInfo'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags                     = @('Nexus', 'metadata', 'SQLite', 'PostgreSQL', 'database', 'migration', 'DbUp', 'sysadmin', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            # The license's own canonical text; the package also carries LICENSE and
            # THIRD-PARTY-NOTICES. No ProjectUri: the project has no public home to name yet.
            LicenseUri               = 'https://www.apache.org/licenses/LICENSE-2.0'
            RequireLicenseAcceptance = $false
            # Written by scripts/build.sh: CHANGELOG.md's newest released section.
            ReleaseNotes             = ''
        }
    }
}
