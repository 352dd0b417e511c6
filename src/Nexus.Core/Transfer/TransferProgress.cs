namespace Nexus.Core.Transfer;

/// <summary>Where a transfer stands, for Write-Progress.</summary>
public sealed class TransferProgress
{
    /// <summary>What is happening (Copying, Rebuilding indexes, Verifying…).</summary>
    public required string Phase { get; init; }

    /// <summary>The table being worked on, if any.</summary>
    public string? Table { get; init; }

    /// <summary>Rows done so far in this phase, over every table.</summary>
    public long RowsDone { get; init; }

    /// <summary>Rows this phase will handle in all (from the source's counts).</summary>
    public long RowsTotal { get; init; }

    /// <summary>Rows per second so far in this phase.</summary>
    public double RowsPerSecond { get; init; }

    /// <summary>Estimated seconds left in this phase, or -1 when unknown.</summary>
    public int SecondsRemaining { get; init; }

    /// <summary>0–100.</summary>
    public int PercentComplete => RowsTotal <= 0 ? 0 : (int)Math.Min(100, RowsDone * 100 / RowsTotal);
}
