using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// A consistent copy of a live SQLite store: VACUUM INTO writes the database as one read
/// transaction sees it (WAL: writers keep going meanwhile), compacted, into a temporary file that
/// is opened and checked (integrity_check, foreign_key_check, row counts) and only then renamed to
/// the requested name. PostgreSQL stores are refused: pg_dump or Export-NexusData do that job.
/// </summary>
public static class StoreBackup
{
    public static StoreBackupResult Run(NexusStore store, string path, bool overwrite, Action<string>? log = null)
    {
        if (store.Provider != StoreProvider.Sqlite)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"Backup-NexusStore copies SQLite stores only; {store.Database} is PostgreSQL. Use pg_dump for a server backup, or Export-NexusData for a portable export.",
                store);
        }

        if (store.Target.IsInMemory)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                "The store is in memory. Copy it to a file with Copy-NexusData instead.", store);
        }

        var full = Path.GetFullPath(path);
        if (string.Equals(full, store.Target.FilePath, StringComparison.Ordinal))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"'{full}' is the store itself. Give another backup path.", full);
        }

        if (Directory.Exists(full))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"'{full}' is a folder. Give a file path such as '{Path.Combine(full, "nexus-backup.db")}'.", full);
        }

        if (File.Exists(full) && !overwrite)
        {
            throw new NexusException(NexusErrorKind.AlreadyExists, $"'{full}' exists. Choose another path, or use -Force to replace it.", full);
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var connection = store.OpenConnection(ConnectionIntent.Read))
            using (var command = connection.CreateCommand("VACUUM INTO @path"))
            {
                command.CommandTimeout = 0;
                command.AddParameter("@path", temporary);
                command.ExecuteNonQuery();
            }

            log?.Invoke($"Wrote a consistent copy of {store.Database}; checking it.");
            var result = Check(store.Database, temporary, full, clock);
            File.Move(temporary, full, overwrite: true);
            log?.Invoke($"Backup {full}: {result.SizeBytes} bytes, {result.FilePaths} file records, integrity {result.IntegrityCheck}.");
            return result;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(temporary);
        }
    }

    private static StoreBackupResult Check(string storeName, string file, string finalPath, Stopwatch clock)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var integrity = connection.Scalar<string>("PRAGMA integrity_check") ?? "no answer";
        using (var fk = connection.CreateCommand("PRAGMA foreign_key_check"))
        using (var reader = fk.ExecuteReader())
        {
            if (reader.Read())
            {
                integrity = $"foreign key violation in {reader.GetString(0)}";
            }
        }

        if (integrity != "ok")
        {
            throw new NexusException(NexusErrorKind.InvalidData,
                $"The backup of {storeName} failed its check ({integrity}); it was deleted. Check the store itself with PRAGMA integrity_check.", storeName);
        }

        return new StoreBackupResult
        {
            Store = storeName,
            Path = finalPath,
            SizeBytes = new FileInfo(file).Length,
            SchemaRevision = connection.Scalar<string>("SELECT max(migration_id) FROM nexus_schema_journal"),
            FilePaths = connection.Scalar<long>("SELECT count(*) FROM file_paths"),
            FileMetadata = connection.Scalar<long>("SELECT count(*) FROM file_metadata"),
            ContentChunks = connection.Scalar<long>("SELECT count(*) FROM content_chunks"),
            IntegrityCheck = integrity,
            Duration = clock.Elapsed,
        };
    }
}
