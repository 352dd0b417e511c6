using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Nexus.Core.Configuration;

namespace Nexus.PowerShell;

/// <summary>Tab completion of Connect-NexusStore -Name: the stores of the effective configuration file.</summary>
public sealed class NexusStoreNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var cwd = Directory.GetCurrentDirectory();
        try
        {
            using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            cwd = ps.AddCommand("Get-Location").Invoke<PathInfo>().FirstOrDefault()?.ProviderPath ?? cwd;
        }
        catch (Exception e) when (e is InvalidOperationException or PSInvalidOperationException)
        {
            // No current runspace (called from outside PowerShell's completion): the process folder.
        }

        var configPath = fakeBoundParameters["ConfigPath"] as string;
        if (configPath is not null && !Path.IsPathRooted(configPath))
        {
            configPath = Path.Combine(cwd, configPath);
        }

        var prefix = wordToComplete.Trim('\'', '"');
        foreach (var name in ConfigurationFile.StoreNames(configPath, cwd))
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, "store " + name);
            }
        }
    }
}
