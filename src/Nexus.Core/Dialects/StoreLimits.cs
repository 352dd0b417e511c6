namespace Nexus.Core.Dialects;

/// <summary>
/// The effective limits of a store's connections, in seconds for the times; null where the
/// database has no such setting (a file has no pool and no connect timeout).
/// </summary>
internal sealed record StoreLimits(int CommandTimeout, int? MaxPoolSize = null, int? MinPoolSize = null, int? ConnectTimeout = null);
