using System.Data.Common;
using System.Diagnostics;
using Nexus.Core.Dialects;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Health;

/// <summary>
/// Test-NexusStore's engine: runs each check on its own connection, read-only, and turns what it
/// finds into one <see cref="HealthCheckResult"/>. A check that cannot run (a driver error, a
/// missing table) is a Fail that says why, not an exception, so the other checks still report.
/// Checks that are the same SQL on both databases live here; the rest in <see cref="IOperationsSql"/>.
/// </summary>
public sealed class StoreHealthChecker
{
    public const string Integrity = "Integrity";
    public const string ForeignKeys = "ForeignKeys";
    public const string OrphanAttributes = "OrphanAttributes";
    public const string ChunkReferences = "ChunkReferences";
    public const string JournalDrift = "JournalDrift";
    public const string SchemaObjects = "SchemaObjects";
    public const string DeletedRecords = "DeletedRecords";

    /// <summary>Every check, in the order they run.</summary>
    public static readonly IReadOnlyList<string> CheckNames =
        new[] { Integrity, ForeignKeys, OrphanAttributes, ChunkReferences, JournalDrift, SchemaObjects, DeletedRecords };

    private readonly NexusStore _store;
    private readonly IOperationsSql _sql;

    public StoreHealthChecker(NexusStore store)
    {
        _store = store;
        _sql = store.Dialect.Operations;
    }

    /// <summary>Runs the checks asked for; DeletedRecords runs only when a time is given.</summary>
    public IEnumerable<HealthCheckResult> Run(HealthCheckOptions options)
    {
        var wanted = CheckNames
            .Where(c => options.Checks is not { Count: > 0 } || options.Checks.Contains(c, StringComparer.OrdinalIgnoreCase))
            .Where(c => c != DeletedRecords || options.DeletedBefore is not null)
            .ToList();
        for (var i = 0; i < wanted.Count; i++)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            options.CheckStarting?.Invoke(wanted[i], i + 1, wanted.Count);
            var clock = Stopwatch.StartNew();
            var result = RunOne(wanted[i], options);
            result.Duration = clock.Elapsed;
            result.Store = _store.Database;
            yield return result;
        }
    }

    private HealthCheckResult RunOne(string check, HealthCheckOptions options)
    {
        try
        {
            using var connection = _store.OpenConnection(ConnectionIntent.Read);
            return check switch
            {
                Integrity => CheckResults.From(Integrity, HealthStatus.Fail, _sql.CheckIntegrity(connection, options.Quick)),
                ForeignKeys => CheckResults.From(ForeignKeys, HealthStatus.Fail, _sql.CheckForeignKeys(connection)),
                OrphanAttributes => NeedsTables(connection, check, "file_metadata", "file_paths") ?? CheckOrphanAttributes(connection, _store.Dialect.Layout.Read(connection)),
                ChunkReferences => NeedsTables(connection, check, "content_chunks", "file_paths") ?? CheckChunkReferences(connection),
                JournalDrift => CheckJournal(connection),
                SchemaObjects => CheckSchemaObjects(connection),
                DeletedRecords => NeedsTables(connection, check, "file_paths") ?? CheckDeletedRecords(connection, options.DeletedBefore!.Value),
                _ => throw new NexusException(NexusErrorKind.InvalidArgument, $"There is no check named '{check}'.", check, hint: $"Use one of {string.Join(", ", CheckNames)}."),
            };
        }
        catch (Exception e) when (e is DbException or NexusException { Kind: not NexusErrorKind.InvalidArgument })
        {
            // A store too damaged to answer a check fails it; the message is the driver's.
            return new HealthCheckResult
            {
                Check = check,
                Status = HealthStatus.Fail,
                Details = $"The check could not run: {e.Message}",
            };
        }
    }

    private HealthCheckResult? NeedsTables(DbConnection connection, string check, params string[] tables)
    {
        var missing = tables.Where(t => !_store.Dialect.TableExists(connection, t)).ToList();
        return missing.Count == 0
            ? null
            : new HealthCheckResult
            {
                Check = check,
                Status = HealthStatus.Fail,
                Details = $"The table(s) {string.Join(", ", missing)} do not exist, so this check cannot run. Run Invoke-NexusMigration (or see the SchemaObjects check).",
            };
    }

    // On a tenant-keyed layout an attribute belongs to the record of its own tenant and path_id
    // (the foreign key is (tenant_id, path_id)); matching on the tenant too is what lets Citus run
    // the check shard by shard (a subquery on path_id alone is refused: 0A000).
    private static HealthCheckResult CheckOrphanAttributes(DbConnection connection, StoreLayout layout) =>
        RowSample.Query(connection, $"""
            SELECT m.metadata_id, m.path_id, m.key
            FROM file_metadata m
            WHERE NOT EXISTS (SELECT 1 FROM file_paths f WHERE f.path_id = m.path_id{(layout.IsTenantKeyed ? " AND f.tenant_id = m.tenant_id" : string.Empty)})
            ORDER BY m.path_id, m.key
            """).ToResult(OrphanAttributes, HealthStatus.Fail,
            "Every attribute belongs to a file record.",
            n => $"{n} attribute row(s) belong to a file record that no longer exists (their path_id is in no file_paths row). No cmdlet can reach them: delete them (DELETE FROM file_metadata WHERE path_id NOT IN (SELECT path_id FROM file_paths)) after checking why the foreign key did not remove them.");

    private static HealthCheckResult CheckChunkReferences(DbConnection connection) =>
        // The schema's only reference to a chunk is a file record whose content hash is the chunk's
        // hash: each live such record needs a reference, so a lower count lets Clear-NexusChunk
        // delete content that records still point at. A higher count (chunk references by content
        // outside the store) cannot be told from a leak, so it is not reported.
        RowSample.Query(connection, """
            SELECT c.content_hash, c.ref_count, count(f.path_id) AS live_records
            FROM content_chunks c
            JOIN file_paths f ON f.content_hash = c.content_hash AND f.deleted_at IS NULL
            GROUP BY c.content_hash, c.ref_count
            HAVING c.ref_count < count(f.path_id)
            UNION ALL
            SELECT c.content_hash, c.ref_count, 0 FROM content_chunks c WHERE c.ref_count < 0
            ORDER BY 1
            """).ToResult(ChunkReferences, HealthStatus.Fail,
            "No chunk has fewer references than the live file records whose content hash (ETag) is its hash, and none has a negative count.",
            n => $"{n} chunk(s) have a reference count below the number of live file records with their content hash (or below zero), so Clear-NexusChunk could delete content still in use. Add the missing references (Add-NexusChunk for each such record), or correct ref_count.");

    private HealthCheckResult CheckDeletedRecords(DbConnection connection, DateTime before)
    {
        var cutoff = DbTime.Truncate(before.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(before, DateTimeKind.Local).ToUniversalTime() : before.ToUniversalTime());
        return RowSample.Query(connection, """
                SELECT tenant_id, virtual_path, deleted_at
                FROM file_paths
                WHERE deleted_at IS NOT NULL AND deleted_at < @before
                ORDER BY deleted_at, tenant_id, virtual_path
                """, command => _store.Dialect.AddTimestamp(command, "@before", cutoff))
            .ToResult(DeletedRecords, HealthStatus.Fail,
                $"No record was soft-deleted before {cutoff:yyyy-MM-dd HH:mm:ss} UTC.",
                n => $"{n} record(s) were soft-deleted before {cutoff:yyyy-MM-dd HH:mm:ss} UTC and are still kept. Purge them: Get-NexusMetadata -Prefix / -IncludeDeleted | Where-Object DeletedAt -lt <time> | Remove-NexusMetadata -Purge.");
    }

    private HealthCheckResult CheckJournal(DbConnection connection)
    {
        if (!_store.Dialect.TableExists(connection, MigrationJournal.TableName))
        {
            return new HealthCheckResult
            {
                Check = JournalDrift,
                Status = HealthStatus.Warn,
                Details = $"The store has no migration journal ({MigrationJournal.TableName}), so nothing can be compared. Run Invoke-NexusMigration (with -Adopt for a store made by the original Nexus).",
            };
        }

        var catalog = MigrationCatalog.For(_store.Provider);
        var failures = new RowSample();
        var warnings = new RowSample();
        // The journal as the migration engine reads it, and its down-script check (ScriptChecksum):
        // a missing down checksum is not a health failure here, an edited or malformed one is.
        foreach (var entry in MigrationJournal.ReadEntries(connection, _store.Dialect))
        {
            var id = entry.MigrationId;
            var script = entry.ScriptName;
            var known = catalog.Find(id);
            if (known is null)
            {
                warnings.Add(("migration_id", id), ("script_name", script), ("problem", "in the journal but not in this module (applied by a newer module?)"));
            }
            else if (!string.Equals(known.Checksum, entry.Checksum, StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(("migration_id", id), ("script_name", script),
                    ("problem", $"up script changed since it was applied: journal {Short(entry.Checksum)}, module {Short(known.Checksum)}"));
            }

            if (entry.DownScriptState is ChecksumState.Mismatch or ChecksumState.Malformed)
            {
                failures.Add(("migration_id", id), ("script_name", script),
                    ("problem", $"the journaled down script no longer matches its journaled checksum ({Short(entry.DownChecksum!)}): it was edited in the journal"));
            }
            else if (entry.DownScript is null && known?.DownScript is not null)
            {
                warnings.Add(("migration_id", id), ("script_name", script), ("problem", "applied without a down script: the store cannot be taken below it"));
            }
        }

        if (failures.Count > 0)
        {
            return failures.ToResult(JournalDrift, HealthStatus.Fail, string.Empty,
                n => $"{n} journal problem(s): a migration's script differs from what was applied, or a journaled down script was edited. Compare with Get-NexusMigration; restore the journal row or the module version that applied it.");
        }

        return warnings.ToResult(JournalDrift, HealthStatus.Warn,
            "Every journaled up script matches this module's checksum and every journaled down script matches its own.",
            n => $"{n} journal row(s) worth a look (see Rows); no checksum differs.");
    }

    private HealthCheckResult CheckSchemaObjects(DbConnection connection)
    {
        var catalog = MigrationCatalog.For(_store.Provider);
        var journal = MigrationJournal.ReadEntries(connection, _store.Dialect);
        var revision = journal.LastOrDefault()?.MigrationId;
        if (revision is null)
        {
            return new HealthCheckResult
            {
                Check = SchemaObjects,
                Status = HealthStatus.Warn,
                Details = "The store has no journaled migration, so there is no schema to compare with. Run Invoke-NexusMigration.",
            };
        }

        // Compared with what the journaled migrations make; a store behind head is a Warn of its own.
        var applied = catalog.Migrations.Where(m => string.CompareOrdinal(m.Id, revision) <= 0).SelectMany(m => SqlStatementSplitter.Split(m.UpScript));
        // On a keyed layout, the migrations' tables are replaced by the layout's (tenant_keyed.sql).
        var layout = _store.Dialect.Layout.Read(connection);
        var expected = _sql.ListSchemaObjectsOf(connection, _store.Dialect.JournalTableDdl, applied, layout);
        var actual = _sql.ListSchemaObjects(connection);
        var missing = expected.Except(actual).OrderBy(o => o, StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected).OrderBy(o => o, StringComparer.Ordinal).ToList();
        var rows = new RowSample();
        foreach (var o in missing)
        {
            rows.Add(("difference", "missing"), ("object", o));
        }

        foreach (var o in extra)
        {
            rows.Add(("difference", "extra"), ("object", o));
        }

        var behind = revision != catalog.Head && catalog.Find(revision) is not null
            ? $" The store is at {revision}; this module's head is {catalog.Head}: run Invoke-NexusMigration."
            : catalog.Find(revision) is null ? $" The store is at {revision}, which this module does not know; compared with {catalog.Head}." : string.Empty;
        if (missing.Count > 0)
        {
            return new HealthCheckResult
            {
                Check = SchemaObjects,
                Status = HealthStatus.Fail,
                Details = $"{missing.Count} schema object(s) that migration {revision} should have made are missing ({string.Join("; ", missing.Take(3))}{(missing.Count > 3 ? "; …" : string.Empty)}){(extra.Count > 0 ? $", and {extra.Count} are extra" : string.Empty)}. The store cmdlets may fail or run slowly: recreate them from the migration scripts, or restore a backup.{behind}",
                Rows = rows.Rows,
                RowCount = rows.Count,
            };
        }

        if (extra.Count > 0 || behind.Length > 0)
        {
            return new HealthCheckResult
            {
                Check = SchemaObjects,
                Status = HealthStatus.Warn,
                Details = (extra.Count > 0 ? $"Nothing is missing; {extra.Count} object(s) are not made by the migrations (added by hand, or left by adoption) and may be dropped by a later migration." : "Nothing is missing or extra.") + behind,
                Rows = rows.Rows,
                RowCount = rows.Count,
            };
        }

        return new HealthCheckResult
        {
            Check = SchemaObjects,
            Status = HealthStatus.Pass,
            Details = $"Every table, column, index and constraint is what migrations up to {revision} make{(layout.IsTenantKeyed ? $" in the {layout.Name} layout" : string.Empty)}, and nothing else.",
        };
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] + "…" : checksum;
}
