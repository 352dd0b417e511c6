namespace Nexus.Core.Connection;

/// <summary>The effective pool settings of a server connection string (seconds for the times).</summary>
public sealed record PoolSettings(int MaxPoolSize, int MinPoolSize, int Timeout, int ConnectionLifetime, int ConnectionIdleLifetime);
