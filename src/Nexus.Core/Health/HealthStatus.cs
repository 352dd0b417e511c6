namespace Nexus.Core.Health;

/// <summary>The verdict of one health check.</summary>
public enum HealthStatus
{
    /// <summary>Nothing wrong was found.</summary>
    Pass,

    /// <summary>Worth a look, but nothing is broken (or the check could not run in full; Details say why).</summary>
    Warn,

    /// <summary>The store is damaged or inconsistent in the way the check looks for.</summary>
    Fail,
}
