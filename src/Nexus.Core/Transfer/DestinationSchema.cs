using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Brings a destination store to the schema revision of the rows it is about to receive
/// (<see cref="MigrationRunner.MigrateTo(string)"/>), or refuses with a message that says why the
/// revisions cannot match. A destination ahead of the source is only moved back when it holds no
/// rows (a brand-new SQLite file starts at the newest revision); otherwise the copy refuses.
/// </summary>
internal static class DestinationSchema
{
    public static void Align(NexusStore destination, string sourceRevision, string sourceName, Action<string>? log)
    {
        destination.RefreshSchemaRevision();
        var current = destination.SchemaRevision;
        if (current == sourceRevision)
        {
            return;
        }

        var catalog = MigrationCatalog.For(destination.Provider);
        if (catalog.Find(sourceRevision) is null)
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"{sourceName} is at schema revision {sourceRevision}, which this module does not know (its newest is {catalog.Head}).", sourceName, hint: "Update the Nexus module.");
        }

        if (current is not null && string.CompareOrdinal(current, sourceRevision) > 0 && HoldsRows(destination))
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"The destination {destination.Database} is at schema revision {current}, newer than {sourceName} ({sourceRevision}), and holds rows.", destination, hint: "Upgrade the source first with Invoke-NexusMigration, or use a new, empty destination.");
        }

        log?.Invoke($"Migrating the destination {destination.Database} from {current ?? "an empty database"} to {sourceRevision}, the source's revision.");
        new MigrationRunner(destination, log).MigrateTo(sourceRevision);
        destination.RefreshSchemaRevision();
        if (destination.SchemaRevision != sourceRevision)
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"The destination {destination.Database} could not be brought to revision {sourceRevision} (it is at {destination.SchemaRevision ?? "none"}).", destination);
        }
    }

    private static bool HoldsRows(NexusStore store)
    {
        using var connection = store.OpenConnection(ConnectionIntent.Read);
        return TransferTable.All.Any(t => DatabaseTables.HasRows(connection, null, t));
    }
}
