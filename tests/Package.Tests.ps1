# The module as an operator adopts it: a versioned package from scripts/pack.sh, installed by name
# with PSResourceGet from a folder repository into an empty module path, imported by name in a
# fresh pwsh, upgraded in place and uninstalled. Store-independent: the round trip is on SQLite.
#
# Every child pwsh runs with its own HOME and XDG_DATA_HOME (PSResourceGet keeps its repository
# list under XDG_DATA_HOME but installs -Scope CurrentUser under HOME; pwsh's personal module
# path follows XDG_DATA_HOME), so nothing reaches the user's settings or modules; and without
# the module under test imported (-NoModule): it must come from the installed package.

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Repo = Split-Path -Parent $PSScriptRoot
    $script:ModuleDir = Split-Path -Parent $env:NEXUS_MODULE_PATH   # out/Nexus, built by test.sh
    $script:Version = (Get-Content -LiteralPath "$Repo/version.txt" -Raw).Trim()
    $v = [version] $Version
    $script:Next = "$($v.Major).$($v.Minor).$($v.Build + 1)"
    $script:Released = (Select-String -LiteralPath "$Repo/CHANGELOG.md" -Pattern '^## \[(\d+\.\d+\.\d+)\]' | Select-Object -First 1).Matches[0].Groups[1].Value

    # Under the run's temp dir when scripts/test.sh made one, so a killed run's leftovers go with it.
    $parent = $env:NEXUS_TEST_RUN_DIR ? $env:NEXUS_TEST_RUN_DIR : [System.IO.Path]::GetTempPath()
    $script:Work = Join-Path $parent "package-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $script:Feed = Join-Path $Work 'feed'
    $script:OperatorHome = Join-Path $Work 'home'
    $script:Data = Join-Path $OperatorHome '.local/share'   # must exist: see scripts/pack.sh
    $script:Installed = Join-Path $Data 'powershell/Modules/Nexus'
    $null = New-Item -ItemType Directory -Path $Feed, $Data
    # What the real user has installed, to show afterwards that the test added nothing there.
    $script:UserModules = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.local/share/powershell/Modules/Nexus'
    $script:UserModulesBefore = @(Get-ChildItem -LiteralPath $UserModules -Recurse -ErrorAction SilentlyContinue | ForEach-Object FullName)

    function Invoke-Bash([string[]] $Arguments, [hashtable] $Environment = @{}) {
        $saved = @{}
        foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
        try { $output = & bash @Arguments 2>&1 | Out-String }
        finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
        if ($LASTEXITCODE -ne 0) { throw "bash $Arguments failed ($LASTEXITCODE):`n$output" }
        $output
    }

    # A fresh pwsh that knows only the throwaway HOME, the repository registered in it, and
    # pwsh's own modules (PSResourceGet); returns the JSON its script block writes, as objects.
    function Invoke-Operator([scriptblock] $ScriptBlock, [object[]] $ArgumentList = @()) {
        $environment = @{
            HOME            = $OperatorHome
            XDG_DATA_HOME   = $Data
            XDG_CACHE_HOME  = Join-Path $OperatorHome '.cache'
            XDG_CONFIG_HOME = Join-Path $OperatorHome '.config'
            PSModulePath    = Join-Path $PSHOME 'Modules'
        }
        $r = Invoke-NexusInFreshSession -NoModule -Environment $environment -TimeoutSeconds 120 `
            -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList
        if ($r.ExitCode -ne 0) { throw "child pwsh failed ($($r.ExitCode)):`n$($r.StdErr)`n$($r.StdOut)" }
        $r.StdOut | ConvertFrom-Json
    }

    # The package of version.txt's version, from the module test.sh built (no second build);
    # then a copy of that module, re-versioned by the build's own step, packaged as the next patch.
    $pack = Join-Path $Repo 'scripts/pack.sh'
    $null = Invoke-Bash @($pack, '--no-build', '--output', $Feed)
    $nextModule = Join-Path $Work 'next/Nexus'
    $null = New-Item -ItemType Directory -Path (Split-Path $nextModule)
    Copy-Item -LiteralPath $ModuleDir -Destination $nextModule -Recurse
    & "$Repo/scripts/lib/Set-ModuleRelease.ps1" -Manifest (Join-Path $nextModule 'Nexus.psd1') -Version $Next `
        -Changelog "$Repo/CHANGELOG.md" 3>$null   # warns that the changelog's newest release is not $Next
    $null = Invoke-Bash @($pack, '--no-build', '--module', $nextModule, '--output', $Feed) @{ NEXUS_VERSION = $Next }
    $script:Package = Join-Path $Feed "Nexus.$Version.nupkg"

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::OpenRead($Package)
    try {
        $script:Entries = @($zip.Entries | ForEach-Object { [Uri]::UnescapeDataString($_.FullName) })
        $reader = [System.IO.StreamReader]::new($zip.GetEntry('Nexus.nuspec').Open())
        try { $script:Nuspec = [xml] $reader.ReadToEnd() } finally { $reader.Dispose() }
    }
    finally { $zip.Dispose() }
}

AfterAll {
    if ($Work) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Package: one version from version.txt' {
    It 'names the package, its nuspec, the manifest and every assembly with version.txt''s version' {
        $Package | Should -Exist
        $Nuspec.package.metadata.version | Should -Be $Version
        (Import-PowerShellDataFile -LiteralPath $env:NEXUS_MODULE_PATH).ModuleVersion | Should -Be $Version
        foreach ($dll in 'Nexus.PowerShell.dll', 'Dependencies/Nexus.Core.dll') {
            $path = Join-Path $ModuleDir $dll
            [System.Reflection.AssemblyName]::GetAssemblyName($path).Version | Should -Be ([version] "$Version.0") -Because "$dll's AssemblyVersion"
            $info = [System.Diagnostics.FileVersionInfo]::GetVersionInfo($path)
            $info.FileVersion | Should -Be "$Version.0" -Because "$dll's FileVersion"
            ($info.ProductVersion -split '\+')[0] | Should -Be $Version -Because "$dll's InformationalVersion (before the commit id)"
        }
    }

    It 'keeps the checked-in manifest a placeholder, so the version is written in one place only' {
        (Import-PowerShellDataFile -LiteralPath "$Repo/Nexus.psd1").ModuleVersion | Should -Be '0.0.0'
        Select-String -Path "$Repo/Nexus.PowerShell.csproj", "$Repo/src/Nexus.Core/Nexus.Core.csproj" -Pattern '<(Assembly|File|Informational)?Version>' |
            Should -BeNullOrEmpty
    }

    It 'carries the license and the newest released changelog section in its metadata' {
        $metadata = $Nuspec.package.metadata
        $metadata.licenseUrl | Should -Be 'https://www.apache.org/licenses/LICENSE-2.0'
        $metadata.requireLicenseAcceptance | Should -Be 'false'
        $metadata.releaseNotes | Should -Match "^\[$([regex]::Escape($Released))\] - \d{4}-\d{2}-\d{2}"
        $metadata.releaseNotes | Should -Not -Match 'Unreleased'
        $metadata.PSObject.Properties.Name | Should -Not -Contain 'projectUrl'
    }

    It 'is refused when version.txt''s version has no released changelog section' {
        # pack.sh reads version.txt and CHANGELOG.md beside its own folder: a tree of just those.
        $tree = Join-Path $Work 'unreleased-tree'
        $null = New-Item -ItemType Directory -Path "$tree/scripts"
        Copy-Item -LiteralPath "$Repo/scripts/pack.sh" -Destination "$tree/scripts/"
        Copy-Item -LiteralPath "$Repo/CHANGELOG.md" -Destination $tree
        Set-Content -LiteralPath "$tree/version.txt" -Value $Next
        { Invoke-Bash @("$tree/scripts/pack.sh", '--no-build', '--module', $ModuleDir, '--output', (Join-Path $Work 'refused')) } |
            Should -Throw "*version.txt says $Next but CHANGELOG.md's newest release is '$Released'*"
        Join-Path $Work "refused/Nexus.$Next.nupkg" | Should -Not -Exist
    }
}

Describe 'Package: contents' {
    It 'holds exactly the files of out/Nexus, plus the metadata NuGet adds' {
        $nugetMetadata = '^(Nexus\.nuspec|_rels/\.rels|\[Content_Types\]\.xml|package/services/metadata/core-properties/[0-9a-f]+\.psmdcp)$'
        $packaged = @($Entries | Where-Object { $_ -notmatch $nugetMetadata } | Sort-Object)
        $built = @(Get-ChildItem -LiteralPath $ModuleDir -Recurse -File |
            ForEach-Object { [System.IO.Path]::GetRelativePath($ModuleDir, $_.FullName).Replace('\', '/') } | Sort-Object)
        $built.Count | Should -BeGreaterThan 10
        Compare-Object $built $packaged | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" } | Should -BeNullOrEmpty
        @($Entries -match $nugetMetadata).Count | Should -Be 4
    }

    It 'carries LICENSE, THIRD-PARTY-NOTICES and CHANGELOG.md, and no tests, symbols or PowerShell engine' {
        $Entries | Should -Contain 'LICENSE'
        $Entries | Should -Contain 'THIRD-PARTY-NOTICES'
        $Entries | Should -Contain 'CHANGELOG.md'
        $Entries -match '\.Tests\.ps1$|^tests/|\.pdb$|System\.Management\.Automation\.dll$' | Should -BeNullOrEmpty
        $notices = Get-Content -LiteralPath (Join-Path $ModuleDir 'THIRD-PARTY-NOTICES') -Raw
        foreach ($component in 'Npgsql', 'Microsoft.Data.Sqlite', 'SQLitePCLRaw', 'dbup-core', 'dbup-sqlite', 'dbup-postgresql') {
            $notices | Should -Match ([regex]::Escape($component))
        }
        Get-Content -LiteralPath (Join-Path $ModuleDir 'LICENSE') -TotalCount 2 | Should -Be @('Apache License', 'Version 2.0, January 2004')
    }
}

Describe 'Package: install by name, upgrade in place, uninstall' {
    It 'installs Nexus by name into an empty module path, and a fresh pwsh imports it by name and round-trips a record' {
        $setup = Invoke-Operator -ArgumentList $Feed, $Version -ScriptBlock {
            param($feed, $version)
            $before = @(Get-Module -ListAvailable Nexus).Count
            Register-PSResourceRepository -Name NexusTest -Uri $feed -Trusted
            Install-PSResource -Name Nexus -Version $version -Repository NexusTest -Scope CurrentUser -Quiet
            @{ Before = $before; Repositories = @(Get-PSResourceRepository | ForEach-Object Name) } | ConvertTo-Json -Compress
        }
        $setup.Before | Should -Be 0 -Because 'the module path starts empty'
        $setup.Repositories | Should -Contain 'NexusTest'
        Join-Path $Installed "$Version/Nexus.psd1" | Should -Exist

        $db = Join-Path $Work 'installed.db'
        $used = Invoke-Operator -ArgumentList $db -ScriptBlock {
            param($db)
            Import-Module Nexus
            $module = Get-Module Nexus
            $null = Connect-NexusStore -Path $db
            Set-NexusMetadata -Path /ops/runbook.txt -Size 42 -MimeType text/plain
            $record = Get-NexusMetadata -Path /ops/runbook.txt
            @{ Version = $module.Version.ToString(); Base = $module.ModuleBase; Path = $record.Path; Size = $record.Size; MimeType = $record.MimeType } |
                ConvertTo-Json -Compress
        }
        $used.Version | Should -Be $Version
        $used.Base | Should -Be (Join-Path $Installed $Version)
        $used.Path | Should -Be '/ops/runbook.txt'
        $used.Size | Should -Be 42
        $used.MimeType | Should -Be 'text/plain'
    }

    It 'installs the next version beside it: Import-Module picks the newer, -ListAvailable lists both' {
        $state = Invoke-Operator -ArgumentList $Next -ScriptBlock {
            param($next)
            Install-PSResource -Name Nexus -Version $next -Repository NexusTest -Scope CurrentUser -Quiet
            Import-Module Nexus
            @{
                Imported  = (Get-Module Nexus).Version.ToString()
                Available = @(Get-Module -ListAvailable Nexus | ForEach-Object { $_.Version.ToString() } | Sort-Object)
            } | ConvertTo-Json -Compress
        }
        $state.Available | Should -Be (@($Version, $Next) | Sort-Object)
        $state.Imported | Should -Be $Next
        Join-Path $Installed "$Version/Nexus.psd1" | Should -Exist
        Join-Path $Installed "$Next/Nexus.psd1" | Should -Exist
    }

    It 'Uninstall-PSResource removes the newer version cleanly, and the older one imports and works again' {
        $db = Join-Path $Work 'after-uninstall.db'
        $state = Invoke-Operator -ArgumentList $Next, $db -ScriptBlock {
            param($next, $db)
            Uninstall-PSResource -Name Nexus -Version $next -Scope CurrentUser
            Import-Module Nexus
            $null = Connect-NexusStore -Path $db
            Set-NexusMetadata -Path /after.txt -Size 1
            @{
                Imported  = (Get-Module Nexus).Version.ToString()
                Available = @(Get-Module -ListAvailable Nexus | ForEach-Object { $_.Version.ToString() })
                Installed = @(Get-InstalledPSResource -Name Nexus -Scope CurrentUser | ForEach-Object { $_.Version.ToString() })
                Found     = (Get-NexusMetadata -Path /after.txt).Path
            } | ConvertTo-Json -Compress
        }
        $state.Available | Should -Be @($Version)
        $state.Installed | Should -Be @($Version)
        $state.Imported | Should -Be $Version
        $state.Found | Should -Be '/after.txt'
        Join-Path $Installed $Next | Should -Not -Exist
    }

    It 'left the caller''s PSResourceGet settings, modules and working folder alone' {
        $after = @(Get-ChildItem -LiteralPath $UserModules -Recurse -ErrorAction SilentlyContinue | ForEach-Object FullName)
        ($after -join "`n") | Should -Be ($UserModulesBefore -join "`n") -Because 'installs went to the throwaway HOME'
        $userSettings = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        if (Test-Path -LiteralPath $userSettings) {
            Get-Content -LiteralPath $userSettings -Raw | Should -Not -Match 'NexusTest|NexusPack'
        }
        Join-Path $Repo 'PSResourceGet' | Should -Not -Exist
        Join-Path $Data 'PSResourceGet/PSResourceRepository.xml' | Should -Exist -Because 'the children kept their repository here'
    }
}
