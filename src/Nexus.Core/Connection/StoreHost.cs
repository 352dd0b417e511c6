namespace Nexus.Core.Connection;

/// <summary>
/// One PostgreSQL server of a store with read replicas, as last measured: its role, whether it
/// answers, and (for a standby) how far its replay lags behind the primary.
/// </summary>
public sealed class StoreHost
{
    internal StoreHost(string host, bool isConfiguredPrimary)
    {
        Host = host;
        IsConfiguredPrimary = isConfiguredPrimary;
    }

    /// <summary>host:port.</summary>
    public string Host { get; }

    /// <summary>True for the hosts of the store's URL, false for the read replicas.</summary>
    public bool IsConfiguredPrimary { get; }

    /// <summary>primary, standby, or unknown (never reached).</summary>
    public string Role { get; internal set; } = "unknown";

    /// <summary>up, or down (the last check failed).</summary>
    public string State { get; internal set; } = "unknown";

    /// <summary>
    /// Seconds since the primary first had WAL this standby has not replayed yet (0 when it has
    /// replayed everything; measured from WAL positions, so an idle primary does not look like lag).
    /// Null for a primary or a host that is down.
    /// </summary>
    public double? LagSeconds { get; internal set; }

    /// <summary>The WAL position the host has written (primary) or replayed (standby), in bytes.</summary>
    public ulong? WalPosition { get; internal set; }

    /// <summary>When the host was last checked (UTC).</summary>
    public DateTime? CheckedAt { get; internal set; }

    /// <summary>Why the last check failed, if it did.</summary>
    public string? Error { get; internal set; }

    internal StoreHost Copy() => (StoreHost)MemberwiseClone();

    /// <inheritdoc />
    public override string ToString() => $"{Host} {Role} {State}" + (LagSeconds is { } lag ? $" lag {lag:0.0}s" : "");
}
