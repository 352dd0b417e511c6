namespace Nexus.Core.Transfer;

/// <summary>
/// The canonical type of a column: what both dialects read into and write from, whatever each
/// database calls it.
/// </summary>
public enum ColumnKind
{
    /// <summary>A uuid (PostgreSQL uuid, SQLite 36-character text); canonical <see cref="Guid"/>.</summary>
    Uuid,

    /// <summary>Plain text; canonical <see cref="string"/>.</summary>
    Text,

    /// <summary>A JSON document (jsonb / json text); canonical text, see <see cref="CanonicalJson"/>.</summary>
    Json,

    /// <summary>A timestamp; canonical UTC <see cref="DateTime"/> in whole microseconds.</summary>
    Timestamp,

    /// <summary>An integer of any width; canonical <see cref="long"/>.</summary>
    Integer,
}
