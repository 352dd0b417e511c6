<#
.SYNOPSIS
    Fills the SYNTAX section of the module's MAML help from the cmdlets themselves.
.DESCRIPTION
    The hand-written help parts (src/PowerShell/Help/*.help-part.xml) describe what a cmdlet does;
    its parameter sets are known to the compiled cmdlet, so the syntax is generated here at build
    time instead of being written (and going stale) by hand. Called by scripts/build.sh.
#>
param(
    [Parameter(Mandatory)][string] $ModuleManifest,
    [Parameter(Mandatory)][string] $HelpFile
)
$ErrorActionPreference = 'Stop'
$module = Import-Module $ModuleManifest -PassThru -Force
[xml] $doc = Get-Content -LiteralPath $HelpFile -Raw
$ns = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
$ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
$ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
$ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
$commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$mamlNs = 'http://schemas.microsoft.com/maml/2004/10'
# -WhatIf and -Confirm stay in the syntax (they say the cmdlet supports them); the rest of the
# common parameters are summed up by [<CommonParameters>].
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + 'UseTransaction'

foreach ($node in $doc.SelectNodes('//command:command', $ns)) {
    $name = $node.SelectSingleNode('command:details/command:name', $ns).InnerText.Trim()
    $cmd = Get-Command -Module $module.Name -Name $name -ErrorAction SilentlyContinue
    if (-not $cmd) { Write-Warning "help names $name, which the module does not export"; continue }
    $old = $node.SelectSingleNode('command:syntax', $ns)
    if ($old) { $null = $node.RemoveChild($old) }
    $syntax = $doc.CreateElement('command', 'syntax', $commandNs)
    foreach ($set in $cmd.ParameterSets) {
        $item = $doc.CreateElement('command', 'syntaxItem', $commandNs)
        $n = $doc.CreateElement('maml', 'name', $mamlNs); $n.InnerText = $name; $null = $item.AppendChild($n)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $pe = $doc.CreateElement('command', 'parameter', $commandNs)
            $pe.SetAttribute('required', $p.IsMandatory.ToString().ToLowerInvariant())
            $pe.SetAttribute('position', ($p.Position -ge 0 ? [string]($p.Position + 1) : 'named'))
            $pn = $doc.CreateElement('maml', 'name', $mamlNs); $pn.InnerText = $p.Name; $null = $pe.AppendChild($pn)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $pv = $doc.CreateElement('command', 'parameterValue', $commandNs)
                $pv.SetAttribute('required', 'true'); $pv.InnerText = $p.ParameterType.Name
                $null = $pe.AppendChild($pv)
            }
            $null = $item.AppendChild($pe)
        }
        $null = $syntax.AppendChild($item)
    }
    $description = $node.SelectSingleNode('maml:description', $ns)
    $null = $node.InsertAfter($syntax, $description)
}
$doc.Save($HelpFile)
