using Nexus.Core.Connection;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Opens a store (<see cref="NexusStore"/>, which knows its revisions through the journal) and
/// settles a new embedded one: the migrations layer's door, so that the store itself runs none.
/// </summary>
public static class StoreOpener
{
    /// <summary>
    /// Opens a store: checks the target, connects once to read the server version and schema
    /// revision, and (unless <paramref name="createSchema"/> is false) brings a brand-new embedded
    /// store to the newest schema. The migration and transfer cmdlets pass false: they decide
    /// themselves which revision an empty store gets. A file that holds another program's tables
    /// and no Nexus schema is refused, naming them, unless <paramref name="besideForeignTables"/>.
    /// </summary>
    public static NexusStore Open(StoreTarget target, Action<string>? log = null, bool createSchema = true, bool besideForeignTables = false)
    {
        var dialect = SqlDialects.For(target.Provider);
        var store = NexusStore.Connect(target, new JournalRevisions(dialect));
        if (!createSchema || !target.IsEmbedded)
        {
            return store;
        }

        try
        {
            CreateSchemaIfNew(store, dialect, log, besideForeignTables);
            return store;
        }
        catch (Exception e)
        {
            store.Dispose();
            throw e is NexusException ? e : dialect.Translate(e, target);
        }
    }

    // A file with no tables gets the newest schema; one with another program's tables (and no
    // Nexus journal or original Nexus tables) is refused, or gets the schema beside them.
    private static void CreateSchemaIfNew(NexusStore store, ISqlDialect dialect, Action<string>? log, bool besideForeignTables)
    {
        using var connection = store.OpenConnection(ConnectionIntent.Write);
        if (dialect.ListTables(connection).Count == 0)
        {
            log?.Invoke($"{store.Target.DisplayName} is a new embedded store; creating its schema.");
            connection.Dispose();
            new MigrationRunner(store, log).Upgrade();
        }
        else if (!dialect.TableExists(connection, MigrationJournal.TableName)
            && !OriginalStoreAdopter.IsOriginalStore(connection, dialect, Array.Empty<JournalEntry>())
            && ForeignTables.Find(connection, dialect) is { Count: > 0 } foreign)
        {
            if (!besideForeignTables)
            {
                throw ForeignTables.Refusal(store.Target.DisplayName, foreign);
            }

            connection.Dispose();
            new MigrationRunner(store, log).MigrateTo("head", MigrationOptions.Default with { Force = true });
        }
    }
}
