namespace Nexus.Core.Migrations;

/// <summary>
/// What a down step would destroy in one place: the rows of a table it drops or empties, or the
/// non-null values of a column it drops. Only places that hold something are reported.
/// </summary>
public sealed record DataLoss(string Table, string? Column, long Count)
{
    /// <summary>file_paths (200000 rows), or content_chunks.protected_until (3 values).</summary>
    public override string ToString() =>
        Column is null ? $"{Table} ({Count} {(Count == 1 ? "row" : "rows")})" : $"{Table}.{Column} ({Count} {(Count == 1 ? "value" : "values")})";

    /// <summary>A step's losses as one phrase: "file_paths (2 rows), file_metadata (1 row)".</summary>
    public static string Describe(IEnumerable<DataLoss> losses) => string.Join(", ", losses);
}
