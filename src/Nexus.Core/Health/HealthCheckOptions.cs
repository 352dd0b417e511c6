namespace Nexus.Core.Health;

/// <summary>What Test-NexusStore asks of <see cref="StoreHealthChecker"/>.</summary>
public sealed record HealthCheckOptions
{
    /// <summary>The checks to run (names from <see cref="StoreHealthChecker.CheckNames"/>); null or empty for all.</summary>
    public IReadOnlyCollection<string>? Checks { get; init; }

    /// <summary>SQLite: PRAGMA quick_check instead of integrity_check. PostgreSQL: amcheck without the heap pass.</summary>
    public bool Quick { get; init; }

    /// <summary>When set, soft-deleted records deleted before this time (UTC) are a Fail (DeletedRecords).</summary>
    public DateTime? DeletedBefore { get; init; }

    /// <summary>Called before each check with its name, index and the number of checks.</summary>
    public Action<string, int, int>? CheckStarting { get; init; }

    public CancellationToken Cancellation { get; init; }
}
