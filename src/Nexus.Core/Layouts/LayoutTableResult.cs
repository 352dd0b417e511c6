namespace Nexus.Core.Layouts;

/// <summary>One table of a layout conversion: the rows copied and the checksums of the old and the new table over the plain (canonical) columns.</summary>
public sealed class LayoutTableResult
{
    /// <summary>The table name.</summary>
    public required string Table { get; init; }

    /// <summary>The rows copied (the old table's rows; the new one has as many).</summary>
    public required long Rows { get; init; }

    /// <summary>The checksum of the old table (Transfer's TableChecksum over the canonical columns).</summary>
    public required string SourceChecksum { get; init; }

    /// <summary>The checksum of the new table, computed the same way.</summary>
    public required string DestinationChecksum { get; init; }

    /// <summary>True when both checksums and row counts are equal (a conversion never swaps otherwise).</summary>
    public bool Verified => SourceChecksum == DestinationChecksum;
}
