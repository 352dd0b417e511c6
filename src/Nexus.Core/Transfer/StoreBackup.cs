using System.Data.Common;
using System.Diagnostics;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// A consistent copy of a live one-file store: the dialect's <see cref="IFileBackup"/> writes the
/// database as one read transaction sees it (SQLite: VACUUM INTO; writers keep going meanwhile)
/// into a partial file beside the target, which is opened and checked (the engine's integrity and
/// foreign-key checks, size against pages, row counts), flushed to disk and only then renamed to
/// the requested name. So only a verified, complete file ever carries the backup's name.
/// Whatever fails, the partial file and its -journal/-wal/-shm are deleted and the error is a
/// <see cref="NexusException"/>; partial files that a killed run left behind are removed by the
/// next run. Server stores (no file backup in their dialect) are refused: pg_dump or
/// Export-NexusData do that job. Both Backup-NexusStore and Invoke-NexusMigration
/// -Backup use it.
/// </summary>
public static class StoreBackup
{
    private const string PartialMarker = ".partial-";
    private static readonly string[] Companions = [string.Empty, "-journal", "-wal", "-shm"];

    /// <summary>Backs up <paramref name="store"/> to <paramref name="path"/>.</summary>
    /// <param name="store">An open SQLite store (file, not memory).</param>
    /// <param name="path">The backup file to make.</param>
    /// <param name="overwrite">Replace <paramref name="path"/> if it exists.</param>
    /// <param name="log">Verbose lines.</param>
    /// <param name="leftoverPattern">
    /// The backup names (a file-name pattern with * in the same folder) whose partial files count
    /// as leftovers of earlier runs; by default the name of <paramref name="path"/> only.
    /// </param>
    public static StoreBackupResult Run(NexusStore store, string path, bool overwrite, Action<string>? log = null, string? leftoverPattern = null)
    {
        if (store.Dialect.Transfer.FileBackup is not { } backup)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"Backup-NexusStore copies SQLite stores only; {store.Database} is PostgreSQL.",
                store, hint: "Use pg_dump for a server backup, or Export-NexusData for a portable export.");
        }

        if (store.Target.IsInMemory)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                "The store is in memory.", store, hint: "Copy it to a file with Copy-NexusData instead.");
        }

        var full = Path.GetFullPath(path);
        if (string.Equals(full, store.Target.FilePath, StringComparison.Ordinal))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"'{full}' is the store itself.", full, hint: "Give another backup path.");
        }

        if (Directory.Exists(full))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"'{full}' is a folder.", full, hint: $"Give a file path such as '{Path.Combine(full, "nexus-backup.db")}'.");
        }

        if (File.Exists(full) && !overwrite)
        {
            throw new NexusException(NexusErrorKind.AlreadyExists, $"'{full}' exists.", full, hint: "Choose another path, or use -Force to replace it.");
        }

        var clock = Stopwatch.StartNew();
        var folder = Path.GetDirectoryName(full)!;
        string temporary;
        FileStream claim;
        List<string> removed;
        try
        {
            Directory.CreateDirectory(folder);
            removed = RemoveLeftovers(folder, (leftoverPattern ?? Path.GetFileName(full)) + PartialMarker + "*", log);
            // The partial name says which process writes it; the open handle is the proof that it
            // still does (the OS drops the lock when a process dies, however it dies).
            temporary = $"{full}{PartialMarker}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            claim = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(store, full, e);
        }

        try
        {
            using (var connection = store.OpenConnection(ConnectionIntent.Read))
            {
                backup.WriteCopy(connection, temporary);
            }

            log?.Invoke($"Wrote a consistent copy of {store.Database} to {temporary}; checking it.");
            var result = Check(store, backup, temporary, full, removed, clock);
            claim.Flush(flushToDisk: true);
            File.Move(temporary, full, overwrite: true);
            log?.Invoke($"Backup {full}: {result.SizeBytes} bytes, {result.FilePaths} file records, integrity {result.IntegrityCheck}.");
            return result;
        }
        catch (Exception e) when (e is not (NexusException or OperationCanceledException))
        {
            throw Failed(store, full, e);
        }
        finally
        {
            claim.Dispose();
            backup.ReleaseFiles();
            DeleteWithCompanions(temporary);
        }
    }

    // The dialect says what kind of failure it is (disk full, read-only, …); the message says
    // what happened to the backup.
    private static NexusException Failed(NexusStore store, string full, Exception error)
    {
        var translated = store.Dialect.Translate(error, store.Target);
        return new NexusException(translated.Kind,
            $"The backup of {store.Database} to '{full}' failed, and its partial file was deleted: {translated.Fact}",
            full, error, translated.Hint);
    }

    // Partial files of runs that are no longer running: the process in the name is gone and
    // nobody holds the file open. A partial of a live run is kept and named in the log.
    private static List<string> RemoveLeftovers(string folder, string pattern, Action<string>? log)
    {
        var removed = new List<string>();
        var files = Directory.GetFiles(folder, pattern);
        foreach (var file in files)
        {
            if (Companions.Skip(1).Any(c => file.EndsWith(c, StringComparison.Ordinal)) && files.Contains(file[..file.LastIndexOf('-')]))
            {
                continue;   // goes (or stays) with its database file
            }

            if (IsInUse(file))
            {
                log?.Invoke($"Kept {file}: the backup that writes it is still running.");
                continue;
            }

            DeleteWithCompanions(file);
            removed.Add(file);
            log?.Invoke($"Removed {file}, left behind by an earlier backup that did not finish.");
        }

        return removed;
    }

    private static bool IsInUse(string partial)
    {
        var name = Path.GetFileName(partial);
        var id = name[(name.LastIndexOf(PartialMarker, StringComparison.Ordinal) + PartialMarker.Length)..].Split('-')[0];
        if (int.TryParse(id, out var pid) && pid != Environment.ProcessId && ProcessIsRunning(pid))
        {
            return true;
        }

        try
        {
            using var probe = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static bool ProcessIsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void DeleteWithCompanions(string file)
    {
        foreach (var suffix in Companions)
        {
            try
            {
                File.Delete(file + suffix);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: the next run removes what is left.
            }
        }
    }

    private static StoreBackupResult Check(NexusStore store, IFileBackup backup, string file, string finalPath, IReadOnlyList<string> removed, Stopwatch clock)
    {
        var storeName = store.Database;
        using var connection = backup.OpenCopy(file);
        var size = new FileInfo(file).Length;
        var integrity = backup.Check(connection, size);
        if (integrity != "ok")
        {
            throw new NexusException(NexusErrorKind.InvalidData,
                $"The backup of {storeName} failed its check ({integrity}); it was deleted.", storeName, hint: "Check the store itself with PRAGMA integrity_check.");
        }

        return new StoreBackupResult
        {
            Store = storeName,
            Path = finalPath,
            SizeBytes = size,
            // A store made by the original Nexus (Invoke-NexusMigration -Adopt -Backup) has no journal yet.
            SchemaRevision = store.Dialect.TableExists(connection, "nexus_schema_journal") ? connection.Scalar<string>("SELECT max(migration_id) FROM nexus_schema_journal") : null,
            FilePaths = Count(store, connection, "file_paths"),
            FileMetadata = Count(store, connection, "file_metadata"),
            ContentChunks = Count(store, connection, "content_chunks"),
            IntegrityCheck = integrity,
            RemovedLeftovers = removed,
            Duration = clock.Elapsed,
        };
    }

    private static long Count(NexusStore store, DbConnection connection, string table) =>
        store.Dialect.TableExists(connection, table) ? connection.Scalar<long>($"SELECT count(*) FROM {table}") : 0;
}
