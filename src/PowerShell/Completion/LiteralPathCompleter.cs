namespace Nexus.PowerShell.Completion;

/// <summary>
/// Stored paths for a parameter that takes a path as written: -LiteralPath, -Prefix, -NewPath and
/// the -Path of cmdlets without wildcards. Nothing is escaped.
/// </summary>
public sealed class LiteralPathCompleter : StorePathCompleter
{
    /// <inheritdoc />
    protected override bool Wildcards => false;
}
