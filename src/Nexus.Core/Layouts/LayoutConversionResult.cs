namespace Nexus.Core.Layouts;

/// <summary>What Convert-NexusStore did: the layout the store has now, the tables it rebuilt and how long it took.</summary>
public sealed class LayoutConversionResult
{
    /// <summary>The store, as Get-NexusStore names it.</summary>
    public required string Store { get; init; }

    /// <summary>The layout before: plain, partitioned or distributed.</summary>
    public required string PreviousLayout { get; init; }

    /// <summary>The layout now: plain, partitioned or distributed.</summary>
    public required string Layout { get; init; }

    /// <summary>The partitions (partitioned) or shards (distributed) of file_paths and file_metadata; 0 for plain.</summary>
    public required int Partitions { get; init; }

    /// <summary>False when the store had that layout already and nothing was done.</summary>
    public required bool Converted { get; init; }

    /// <summary>Each table's rows and checksums (empty when nothing was done).</summary>
    public required IReadOnlyList<LayoutTableResult> Tables { get; init; }

    /// <summary>The rows of each table, by table name.</summary>
    public IReadOnlyDictionary<string, long> Rows => Tables.ToDictionary(t => t.Table, t => t.Rows);

    /// <summary>The time the whole conversion took, waits for locks included.</summary>
    public required TimeSpan Elapsed { get; init; }
}
