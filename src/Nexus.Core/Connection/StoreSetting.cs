namespace Nexus.Core.Connection;

/// <summary>
/// One effective setting of an open store, as Get-NexusStore shows it: its value (never a
/// password) and where it came from.
/// </summary>
public sealed class StoreSetting
{
    internal StoreSetting(string name, object? value, SettingSource source, string? origin)
    {
        Name = name;
        Value = value;
        Source = source;
        Origin = origin;
    }

    /// <summary>The setting's name as the configuration file spells it (url, pool.max, …).</summary>
    public string Name { get; }

    /// <summary>The effective value; URLs are shown without their password.</summary>
    public object? Value { get; }

    /// <summary>Parameter, Environment, File or Default.</summary>
    public SettingSource Source { get; }

    /// <summary>The parameter, variable, or file:line the value came from.</summary>
    public string? Origin { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} = {Value} ({Source}{(Origin is null ? "" : ": " + Origin)})";
}
