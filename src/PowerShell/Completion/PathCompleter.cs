namespace Nexus.PowerShell.Completion;

/// <summary>
/// Stored paths for a -Path that takes wildcards (Get-, Test-, Remove-NexusMetadata): the offered
/// path has its wildcard characters escaped with a backtick, as Remove-Item -Path completion does.
/// </summary>
public sealed class PathCompleter : StorePathCompleter
{
    /// <inheritdoc />
    protected override bool Wildcards => true;
}
