# A host that records what cmdlets ask and print through it, for tests that must see the
# confirmation prompt itself (ShouldContinue / -Confirm) or the -WhatIf lines, neither of which
# reaches a PowerShell stream. Real module, real database; only the human is replaced.
#
#   BeforeAll { Import-Module "$PSScriptRoot/PromptHost.psm1" -Force }
#   $r = Invoke-WithPromptHost -Answer No -ArgumentList $cs -ScriptBlock { param($cs) ... }
#   $r.Prompts   # every PromptForChoice: "<caption>|<message>"
#   $r.Lines     # every line written to the host (What if: ... lines among them)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

if (-not ('NexusTests.PromptRecordingHost' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace NexusTests
{
    /// <summary>A host with no human: answers every choice prompt with one fixed label and records it.</summary>
    public sealed class PromptRecordingHost : PSHost
    {
        private readonly PromptRecordingUI _ui;
        public PromptRecordingHost(string answer) { _ui = new PromptRecordingUI(answer); }
        public PromptRecordingUI Recorded => _ui;
        public override string Name => "NexusTestPromptRecordingHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class PromptRecordingUI : PSHostUserInterface
    {
        private readonly string _answer;
        private string _partial = "";
        public List<string> Prompts { get; } = new List<string>();
        public List<string> Lines { get; } = new List<string>();
        public PromptRecordingUI(string answer) { _answer = answer; }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            lock (Prompts) { Prompts.Add(caption + "|" + message); }
            for (var i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label.Replace("&", "") == _answer) { return i; }
            }
            throw new InvalidOperationException("The prompt offers no '" + _answer + "' choice: " + message);
        }

        public override void WriteLine(string value) { lock (Lines) { Lines.Add(_partial + value); _partial = ""; } }
        public override void Write(string value) { lock (Lines) { _partial += value; } }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);
        public override void WriteErrorLine(string value) => WriteLine(value);
        public override void WriteDebugLine(string message) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override PSHostRawUserInterface RawUI => null;
        public override string ReadLine() => throw new NotSupportedException("The test host reads no input.");
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The test host reads no input.");
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The test host answers choice prompts only: " + message);
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The test host has no credential to give.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The test host has no credential to give.");
    }
}
'@
}

<#
.SYNOPSIS
    Runs a script block (the Nexus module imported) in a new runspace whose host answers every
    prompt with -Answer and records the prompts and host lines. $ConfirmPreference is the
    default (High) unless the script block changes it.
.OUTPUTS
    Output (what the script block wrote), Prompts ("caption|message" per prompt), Lines (host
    lines, such as "What if: ..."), Errors (the error stream) and Failure (a terminating error,
    or $null).
#>
function Invoke-WithPromptHost {
    param(
        [Parameter(Mandatory)][scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @(),
        [ValidateSet('Yes', 'No')][string] $Answer = 'No'
    )
    $recordingHost = [NexusTests.PromptRecordingHost]::new($Answer)
    $runspace = [runspacefactory]::CreateRunspace($recordingHost)
    $runspace.Open()
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    try {
        $null = $ps.AddCommand('Import-Module').AddArgument($env:NEXUS_MODULE_PATH).AddStatement().AddScript($ScriptBlock.ToString())
        foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
        $output = @()
        $failure = $null
        try { $output = @($ps.Invoke()) } catch { $failure = $_.Exception.InnerException ?? $_.Exception }
        [pscustomobject]@{
            Output  = $output
            Prompts = @($recordingHost.Recorded.Prompts)
            Lines   = @($recordingHost.Recorded.Lines)
            Errors  = @($ps.Streams.Error)
            Failure = $failure
        }
    }
    finally {
        $ps.Dispose()
        $runspace.Dispose()
    }
}

Export-ModuleMember -Function Invoke-WithPromptHost
