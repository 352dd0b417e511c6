using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Reads a store's journal without opening it as a store (which would create a new SQLite file
/// or its schema): for -Script, which must change nothing. A missing file or journal is "base".
/// </summary>
internal static class OfflineJournal
{
    public static (IReadOnlyList<JournalEntry> Entries, bool IsOriginalStore) Read(StoreTarget target)
    {
        var dialect = SqlDialects.For(target.Provider);
        try
        {
            if (target.Provider == StoreProvider.Sqlite)
            {
                if (target.IsInMemory || target.FilePath is null || !File.Exists(target.FilePath))
                {
                    return (Array.Empty<JournalEntry>(), false);
                }

                var builder = new SqliteConnectionStringBuilder(target.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
                using var sqlite = new SqliteConnection(builder.ToString());
                sqlite.Open();
                var entries = MigrationJournal.ReadEntries(sqlite, dialect);
                return (entries, OriginalStoreAdopter.IsOriginalStore(sqlite, dialect, entries));
            }

            using var source = dialect.CreateConnectionSource(target);
            using var connection = source.Open();
            var journal = MigrationJournal.ReadEntries(connection, dialect);
            return (journal, OriginalStoreAdopter.IsOriginalStore(connection, dialect, journal));
        }
        catch (Exception e) when (e is not NexusException)
        {
            throw dialect.Translate(e, target);
        }
    }
}
