namespace Nexus.Core.Transfer;

/// <summary>One table of an export manifest.</summary>
public sealed class ExportManifestTable
{
    /// <summary>The table name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The file name inside the export folder.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>The columns each line carries, in canonical order.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>Rows (lines) in the file.</summary>
    public long Rows { get; set; }

    /// <summary>SHA-256 of the file's bytes as stored (compressed bytes for .gz), lowercase hex.</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>The order-independent checksum of the rows (<see cref="TableChecksum"/>).</summary>
    public string Checksum { get; set; } = string.Empty;
}
