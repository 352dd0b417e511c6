using Nexus.Core.Connection;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Reads a store's journal without opening it as a store (which would create a new embedded file
/// or its schema): for -Script, which must change nothing. A missing file or journal is "base".
/// </summary>
internal static class OfflineJournal
{
    public static (IReadOnlyList<JournalEntry> Entries, bool IsOriginalStore) Read(StoreTarget target)
    {
        var dialect = SqlDialects.For(target.Provider);
        try
        {
            return dialect.Migration.ReadExisting<(IReadOnlyList<JournalEntry>, bool)>(target, connection =>
            {
                var entries = MigrationJournal.ReadEntries(connection, dialect);
                return (entries, OriginalStoreAdopter.IsOriginalStore(connection, dialect, entries));
            }, (Array.Empty<JournalEntry>(), false));
        }
        catch (Exception e) when (e is not NexusException)
        {
            throw dialect.Translate(e, target);
        }
    }
}
