# Conventions every cmdlet of the module keeps, checked over whatever the manifest exports.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Cmdlets = (Import-PowerShellDataFile $env:NEXUS_MODULE_PATH).CmdletsToExport
    # Verbs that change data must offer -WhatIf/-Confirm.
    $script:Changing = $Cmdlets | Where-Object { $_ -match '^(Set|Remove|Rename|Add|Clear|Invoke|Copy|Import|Backup|New|Export)-' }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/MigrationTestHelpers.psm1" -Force
    $null = Import-NexusModuleForTest
}

Describe 'Cmdlet conventions' {
    It '<_> uses an approved verb' -ForEach $Cmdlets {
        ($_ -split '-')[0] | Should -BeIn (Get-Verb).Verb
    }

    It '<_> has help: synopsis, description, parameter text and an example' -ForEach $Cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -Match "^\s*$_\s" -Because 'a written synopsis, not the generated syntax line'
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $undocumented = @($help.parameters.parameter | Where-Object { -not ($_.description | Out-String).Trim() }).name
        $undocumented | Should -BeNullOrEmpty -Because "every parameter of $_ is described"
    }

    It '<_> declares its output type' -ForEach ($Cmdlets | Where-Object { $_ -notmatch '^(Disconnect|Remove|Rename|Clear|Backup|Export)-' }) {
        (Get-Command $_).OutputType | Should -Not -BeNullOrEmpty
    }

    It '<_> supports -WhatIf and -Confirm, and its help syntax says so' -ForEach $Changing {
        $parameters = (Get-Command $_).Parameters.Keys
        $parameters | Should -Contain 'WhatIf'
        $parameters | Should -Contain 'Confirm'
        $syntax = (Get-Help $_).syntax | Out-String
        $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]'
    }

    It '<_> has a help syntax line per parameter set, naming every parameter of the set' -ForEach $Cmdlets {
        $command = Get-Command $_
        $items = @((Get-Help $_).syntax.syntaxItem)
        $items.Count | Should -Be $command.ParameterSets.Count
        $named = @($items.parameter.name | Sort-Object -Unique)
        $declared = $command.Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -ne 'UseTransaction' }
        foreach ($p in $declared) { $named | Should -Contain $p }
    }
}

# One call per cmdlet (per parameter set where the declared type differs) that emits something,
# on a throwaway SQLite store; every object it writes must be of a type its OutputType declares.
Describe 'Declared output types' {
    BeforeDiscovery {
        $script:Calls = @(
            @{ Name = 'Connect-NexusStore'; Call = { Connect-NexusStore -Path (Join-Path $dir 'connect.db') -NoDefault } }
            @{ Name = 'Get-NexusStore'; Call = { Get-NexusStore -Store $store } }
            @{ Name = 'Invoke-NexusMigration'; Set = 'Run'; Call = { Invoke-NexusMigration -ConnectionString "sqlite:///$dir/migrate.db" } }
            @{ Name = 'Invoke-NexusMigration'; Set = 'Script'; Call = { Invoke-NexusMigration -ConnectionString "sqlite:///$dir/script.db" -Script } }
            @{ Name = 'Get-NexusMigration'; Call = { Get-NexusMigration -Store $store } }
            @{ Name = 'New-NexusMigration'; Call = { New-NexusMigration -Name 'output type' -Path (New-TestMigrationFolder) } }
            @{ Name = 'Set-NexusMetadata'; Call = { Set-NexusMetadata -Store $store -Path '/o/set' -PassThru } }
            @{ Name = 'Get-NexusMetadata'; Call = { Get-NexusMetadata -Store $store -Path '/o/a' } }
            @{ Name = 'Test-NexusMetadata'; Call = { Test-NexusMetadata -Store $store -Path '/o/a' } }
            @{ Name = 'Remove-NexusMetadata'; Call = { Remove-NexusMetadata -Store $store -Path '/o/gone' -PassThru } }
            @{ Name = 'Rename-NexusMetadata'; Call = { Rename-NexusMetadata -Store $store -Path '/o/old' -NewPath '/o/new' -PassThru } }
            @{ Name = 'Set-NexusAttribute'; Call = { Set-NexusAttribute -Store $store -Path '/o/a' -Key colour -Value 'red' -PassThru } }
            @{ Name = 'Get-NexusAttribute'; Call = { Get-NexusAttribute -Store $store -Path '/o/a' } }
            @{ Name = 'Add-NexusChunk'; Call = { Add-NexusChunk -Store $store -ContentHash 'added' -Size 1 -StoragePath '/b/added' -PassThru } }
            @{ Name = 'Get-NexusChunk'; Call = { Get-NexusChunk -Store $store -ContentHash 'c1' } }
            @{ Name = 'Remove-NexusChunk'; Call = { Remove-NexusChunk -Store $store -ContentHash 'c1' -PassThru } }
            @{ Name = 'Clear-NexusChunk'; Call = { Clear-NexusChunk -Store $store -Confirm:$false } }
            @{ Name = 'Copy-NexusData'; Call = { Copy-NexusData -Source $store -Destination "sqlite:///$dir/copy.db" } }
            @{ Name = 'Export-NexusData'; Call = { Export-NexusData -Store $store -Path (Join-Path $dir 'export') } }
            @{ Name = 'Import-NexusData'; Call = { Import-NexusData -Store (Connect-NexusStore -Path (Join-Path $dir 'import.db') -NoDefault) -Path (Join-Path $dir 'exported') } }
            @{ Name = 'Backup-NexusStore'; Call = { Backup-NexusStore -Store $store -Path (Join-Path $dir 'backup.db') } }
            @{ Name = 'Convert-NexusStore'; Call = { Convert-NexusStore -Store $store -Layout plain -Confirm:$false -WarningAction SilentlyContinue } }
            @{ Name = 'Test-NexusStore'; Call = { Test-NexusStore -Store $store } }
            @{ Name = 'Test-NexusMigration'; Call = { Test-NexusMigration -Store $store -Target 0001 } }
            @{ Name = 'Get-NexusStoreInfo'; Call = { Get-NexusStoreInfo -Store $store } }
            @{ Name = 'Get-NexusTenant'; Call = { Get-NexusTenant -Store $store } }
        )
        foreach ($c in $Calls) { if (-not $c.ContainsKey('Set')) { $c.Set = '' } }
        # Cmdlets that write nothing to the pipeline in any parameter set, and why; the call shows it.
        $script:Silent = @(
            @{ Name = 'Disconnect-NexusStore'; Reason = 'it closes a store (declares [void])'; Call = { Disconnect-NexusStore -Store (Connect-NexusStore -Path (Join-Path $dir 'closed.db') -NoDefault) } }
            @{ Name = 'Remove-NexusAttribute'; Reason = 'it has no -PassThru and declares no output'; Call = { Remove-NexusAttribute -Store $store -Path '/o/a' -Key size } }
        )
    }
    BeforeAll {
        $dir = Join-Path $env:NEXUS_TEST_RUN_DIR "output-types-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $null = New-Item -ItemType Directory -Path $dir
        $store = Connect-NexusStore -Path (Join-Path $dir 'store.db') -NoDefault
        foreach ($path in '/o/a', '/o/gone', '/o/old') { Set-NexusMetadata -Store $store -Path $path }
        Set-NexusAttribute -Store $store -Path '/o/a' -Key size -Value 1
        Add-NexusChunk -Store $store -ContentHash 'c1' -Size 1 -StoragePath '/b/c1' -ProtectedUntil ([datetime]::UtcNow.AddHours(-1))
        Add-NexusChunk -Store $store -ContentHash 'c2' -Size 1 -StoragePath '/b/c2' -ProtectedUntil ([datetime]::UtcNow.AddHours(-1))
        Remove-NexusChunk -Store $store -ContentHash 'c2'   # unreferenced and unprotected: Clear-NexusChunk deletes it
        $null = Export-NexusData -Store $store -Path (Join-Path $dir 'exported')

        # Is $item of a type that $Command declares for parameter set $Set (all sets if none given)?
        # [PSObject] stands for a custom object (a property bag), as a binary cmdlet can only mean.
        function Test-DeclaredType([string] $Command, $Item, [string] $Set) {
            $declared = (Get-Command $Command).ImplementingType.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) |
                Where-Object { -not $Set -or $_.ParameterSetName -contains '__AllParameterSets' -or $_.ParameterSetName -contains $Set } |
                ForEach-Object { $_.Type.Type }
            $base = $Item -is [psobject] ? $Item.PSObject.BaseObject : $Item
            foreach ($type in $declared) {
                if ($type -eq [psobject] -and $base -is [System.Management.Automation.PSCustomObject]) { return $true }
                if ($type -ne [psobject] -and $type.IsInstanceOfType($base)) { return $true }
            }
            $false
        }
    }
    AfterAll {
        Disconnect-NexusStore -Store $store -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'every exported cmdlet has a call below, or is listed as writing nothing' {
        $covered = @($Calls.Name) + @($Silent.Name) | Sort-Object -Unique
        $covered | Should -Be ($Cmdlets | Sort-Object)
    }

    It '<Name> <Set> writes objects of its declared output type' -ForEach $Calls {
        $out = @(& $Call)
        $out.Count | Should -BeGreaterThan 0 -Because 'the call is chosen to write something'
        foreach ($item in $out) {
            $base = $item -is [psobject] ? $item.PSObject.BaseObject : $item
            Test-DeclaredType $Name $item $Set | Should -BeTrue -Because "$Name wrote a $($base.GetType().FullName); it declares $((Get-Command $Name).OutputType.Name -join ', ')"
        }
    }

    It '<Name> writes nothing: <Reason>' -ForEach $Silent {
        @(& $Call).Count | Should -Be 0
        (Get-Command $Name).OutputType.Type | Where-Object { $_ -ne [void] } | Should -BeNullOrEmpty
    }
}
