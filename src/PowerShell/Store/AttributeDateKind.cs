namespace Nexus.PowerShell;

/// <summary>How Get-NexusAttribute returns strings that look like ISO-8601 UTC timestamps (-DateKind).</summary>
public enum AttributeDateKind
{
    /// <summary>As DateTime in UTC (the default).</summary>
    DateTime,

    /// <summary>As the stored string, unchanged: it round-trips byte for byte through Set-NexusAttribute.</summary>
    String,
}
