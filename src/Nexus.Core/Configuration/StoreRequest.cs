using Nexus.Core.Connection;

namespace Nexus.Core.Configuration;

/// <summary>What Connect-NexusStore was asked for: the parameters, before environment and file.</summary>
public sealed class StoreRequest
{
    /// <summary>-ConnectionString (URL or ADO.NET), or null.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>-Name: a store of the configuration file's `stores:` map, or null.</summary>
    public string? Name { get; init; }

    /// <summary>-ConfigPath, or null for NEXUS_CONFIG / ./nexus.yaml / ~/.nexus/config.yaml.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The parameters that override everything else (credential, pool sizes, timeouts).</summary>
    public required ConnectionOptions Parameters { get; init; }

    /// <summary>Names of the parameters the user gave, for Get-NexusStore's sources.</summary>
    public IReadOnlyDictionary<string, string> ParameterNames { get; init; } = new Dictionary<string, string>();
}
