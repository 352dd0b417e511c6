using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Brings a destination store to the schema revision of the rows it is about to receive, or
/// refuses with a message that says why the revisions cannot match.
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
                $"{sourceName} is at schema revision {sourceRevision}, which this module does not know (its newest is {catalog.Head}). Update the Nexus module.", sourceName);
        }

        if (current is not null && string.CompareOrdinal(current, sourceRevision) > 0)
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"The destination {destination.Database} is at schema revision {current}, newer than {sourceName} ({sourceRevision}). Upgrade the source first with Invoke-NexusMigration, or use a new, empty destination.", destination);
        }

        if (sourceRevision != catalog.Head)
        {
            // Migrating to a revision below head needs MigrationRunner.MigrateTo (issue 4).
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"{sourceName} is at schema revision {sourceRevision} and the destination {destination.Database} at {current ?? "none"}; this module can only bring a destination to its newest revision ({catalog.Head}). Upgrade the source first with Invoke-NexusMigration.", destination);
        }

        log?.Invoke($"Migrating the destination {destination.Database} from {current ?? "an empty database"} to {sourceRevision}.");
        new MigrationRunner(destination, log).Upgrade();
    }
}
