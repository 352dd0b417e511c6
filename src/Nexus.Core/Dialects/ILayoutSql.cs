using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// What a layout needs from the database: which layouts it can hold, which one a store has, and
/// the statements that build the three tables at head in a layout (Convert-NexusStore builds them
/// beside the old ones, in a schema of their own).
/// </summary>
internal interface ILayoutSql
{
    /// <summary>True when this database can hold stores of that layout (SQLite: plain only).</summary>
    bool Supports(StoreLayoutKind kind);

    /// <summary>The layout of the store's tables, as the catalog shows it (plain when in doubt).</summary>
    StoreLayout Read(DbConnection connection);

    /// <summary>
    /// The statements that create file_paths, file_metadata and content_chunks at the migrations'
    /// head in <paramref name="layout"/>, with unqualified names, inside <paramref name="schema"/>.
    /// </summary>
    IReadOnlyList<string> CreateTables(StoreLayout layout, string schema);
}
