namespace Nexus.Core.Configuration;

/// <summary>A value read from the configuration file, with the line it was written on.</summary>
public sealed record ConfigValue<T>(T Value, string Key, int Line);
