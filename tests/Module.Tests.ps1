# Conventions every cmdlet of the module keeps, checked over whatever the manifest exports.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
    $script:Cmdlets = (Import-PowerShellDataFile $env:NEXUS_MODULE_PATH).CmdletsToExport
    # Verbs that change data must offer -WhatIf/-Confirm.
    $script:Changing = $Cmdlets | Where-Object { $_ -match '^(Set|Remove|Rename|Add|Clear|Invoke|Copy|Import|Backup|New|Export)-' }
}

BeforeAll {
    Import-Module "$PSScriptRoot/TestHelpers.psm1" -Force
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
