namespace Nexus.Core.Transfer;

/// <summary>
/// What a copy, export or import did to one table, and whether both sides agree afterwards.
/// The checksums are <see cref="TableChecksum"/> values over canonical rows.
/// </summary>
public sealed class TableTransferResult
{
    /// <summary>The table.</summary>
    public required string Table { get; init; }

    /// <summary>Rows read from the source.</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows written to the destination (inserted, or upserted under -Merge).</summary>
    public long RowsWritten { get; init; }

    /// <summary>Rows set aside as invalid (-SkipInvalid), written to <see cref="RejectFile"/>.</summary>
    public long RowsSkipped { get; init; }

    /// <summary>Checksum of the source rows that were written.</summary>
    public required string SourceChecksum { get; init; }

    /// <summary>Checksum of the same rows read back from the destination.</summary>
    public required string DestinationChecksum { get; init; }

    /// <summary>Rows read back from the destination for the check.</summary>
    public long DestinationRows { get; init; }

    /// <summary>True when the checksums and row counts agree.</summary>
    public bool Match { get; init; }

    /// <summary>The source (store display name or export folder).</summary>
    public required string Source { get; init; }

    /// <summary>The destination (store display name or export folder).</summary>
    public required string Destination { get; init; }

    /// <summary>Time spent loading this table (verification not included).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The reject file, when rows of this table were skipped.</summary>
    public string? RejectFile { get; init; }
}
