using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Tables in a database that belong to another program. A Nexus schema is only created in a
/// database without them (unless forced), so that pointing the module at the wrong file or
/// database does not scatter Nexus tables among someone else's.
/// </summary>
internal static class ForeignTables
{
    /// <summary>
    /// The tables this module knows: its own (the same names the original Nexus used, so the
    /// adoptable ones too), its journal, and the original system's Alembic version table.
    /// SQLite's own sqlite_* tables are never listed by the dialect.
    /// </summary>
    private static readonly HashSet<string> Known = new(
        OriginalStoreAdopter.Tables.Concat(new[] { MigrationJournal.TableName, "alembic_version" }),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The database's tables that are not Nexus's, by name.</summary>
    public static IReadOnlyList<string> Find(DbConnection connection, ISqlDialect dialect) =>
        dialect.ListTables(connection).Where(t => !Known.Contains(t)).ToList();

    /// <summary>The refusal to create a schema beside <paramref name="tables"/>.</summary>
    public static NexusException Refusal(string store, IReadOnlyList<string> tables) =>
        new(NexusErrorKind.SchemaMismatch,
            $"{store} holds tables that are not Nexus's ({string.Join(", ", tables)}), so no Nexus schema was created in it.",
            store, hint: "Is it the right database? Point the store at a new file or an empty database, or use -Force to create the Nexus tables beside them.");
}
