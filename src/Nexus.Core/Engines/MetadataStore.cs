using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Engines;

/// <summary>
/// File records: upsert in batches, look up, list by prefix and attribute values, soft-delete,
/// purge, rename. The same calls and the same results on SQLite and PostgreSQL.
/// </summary>
public sealed class MetadataStore : IStoreEngine
{
    /// <summary>How many piped items the cmdlets put in one transaction or statement.</summary>
    public const int BatchSize = 2000;

    /// <summary>
    /// How many records Set-NexusMetadata puts in one transaction: larger than <see cref="BatchSize"/>
    /// because a commit (and, on SQLite, the WAL checkpoint it may trigger) is a fixed cost per batch
    /// that bulk loads pay 20 times per 100,000 records instead of 50.
    /// </summary>
    public const int UpsertBatchSize = 5000;

    /// <summary>The longest content hash (varchar(64)).</summary>
    public const int MaxETagLength = 64;

    /// <summary>The longest MIME type (varchar(255)).</summary>
    public const int MaxMimeTypeLength = 255;

    /// <summary>The backend name used when a record has none.</summary>
    public const string DefaultBackend = "local";

    private readonly StoreAccess _access;

    /// <summary>The records of <paramref name="store"/>; fails if its schema is not current.</summary>
    public MetadataStore(NexusStore store)
    {
        _access = new StoreAccess(store);
    }

    /// <inheritdoc />
    public Action<string>? Log
    {
        get => _access.Log;
        set => _access.Log = value;
    }

    /// <summary>
    /// Checks a record to store and fills defaults (tenant, backend, physical path) in place, and
    /// returns it; throws an InvalidArgument error that names the path (changing nothing) when it
    /// cannot be stored.
    /// </summary>
    public static FileRecord Check(FileRecord record)
    {
        var path = PathRules.Validate(record.Path);
        var tenant = Tenants.Validate(record.Tenant);
        if (record.Size < 0)
        {
            throw Invalid(path, $"has a negative size ({record.Size}). Give the size in bytes, 0 or more.");
        }

        var etag = string.IsNullOrEmpty(record.ETag) ? null : record.ETag;
        if (etag is not null && TextRules.Problem(etag, MaxETagLength) is { } etagProblem)
        {
            throw Invalid(path, $"has an ETag that {etagProblem} (at most {MaxETagLength} characters)");
        }

        var mime = string.IsNullOrEmpty(record.MimeType) ? null : record.MimeType;
        if (mime is not null && TextRules.Problem(mime, MaxMimeTypeLength) is { } mimeProblem)
        {
            throw Invalid(path, $"has a MimeType that {mimeProblem} (at most {MaxMimeTypeLength} characters)");
        }

        var backend = string.IsNullOrEmpty(record.BackendName) ? DefaultBackend : record.BackendName;
        if (TextRules.Problem(backend, int.MaxValue) is { } backendProblem)
        {
            throw Invalid(path, $"has a BackendName that {backendProblem}");
        }

        var physical = record.PhysicalPath ?? string.Empty;
        if (physical.Contains('\0'))
        {
            throw Invalid(path, "has a PhysicalPath that contains a NUL character");
        }

        // Filled in place: callers build the record for this call (one allocation per piped record).
        record.Tenant = tenant;
        record.Path = path;
        record.BackendName = backend;
        record.PhysicalPath = physical;
        record.ETag = etag;
        record.MimeType = mime;
        return record;
    }

    /// <summary>
    /// Stores checked records (see <see cref="Check"/>) in ONE transaction: all or nothing.
    /// Returns what was stored (with timestamps and versions) when <paramref name="returnStored"/>.
    /// </summary>
    public IReadOnlyList<FileRecord> Upsert(IReadOnlyList<FileRecord> records, bool returnStored, CancellationToken cancel = default)
    {
        if (records.Count == 0)
        {
            return Array.Empty<FileRecord>();
        }

        // Rows are written (and so locked) in one order, by tenant and path, whatever the order of
        // the input: two sessions writing overlapping batches then wait for each other instead of
        // deadlocking. The sort is stable, so a path given twice is still written last as last given.
        var order = new int[records.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var sorted = order.OrderBy(i => records[i].Tenant, StringComparer.Ordinal).ThenBy(i => records[i].Path, StringComparer.Ordinal).ToArray();
        var stored = returnStored ? new FileRecord[records.Count] : null;
        _access.Write(records.Count == 1 ? records[0].Path : $"{records.Count} records ('{TextRules.Printable(records[sorted[0]].Path)}' to '{TextRules.Printable(records[sorted[^1]].Path)}')", (connection, transaction) =>
        {
            var now = DbTime.UtcNow();
            var written = returnStored ? new List<FileRecord>(records.Count) : null;
            // One statement may not touch a row twice: a repeated path starts a new run.
            var run = new List<FileRecord>();
            var seen = new HashSet<(string, string)>();
            foreach (var index in sorted)
            {
                var record = records[index];
                if (!seen.Add((record.Tenant, record.Path)))
                {
                    _access.Sql.UpsertFiles(connection, transaction, run, now, written, cancel);
                    run.Clear();
                    seen.Clear();
                    seen.Add((record.Tenant, record.Path));
                }

                run.Add(record);
            }

            _access.Sql.UpsertFiles(connection, transaction, run, now, written, cancel);
            cancel.ThrowIfCancellationRequested();
            if (stored is not null)
            {
                // Handed back in input order (written holds them in sorted order).
                for (var i = 0; i < sorted.Length; i++)
                {
                    stored[sorted[i]] = written![i];
                }
            }

            return 0;
        });
        return (IReadOnlyList<FileRecord>?)stored ?? Array.Empty<FileRecord>();
    }

    /// <summary>The records of these exact paths in one tenant, by path (missing paths are absent).</summary>
    public IReadOnlyDictionary<string, FileRecord> Lookup(string tenant, IReadOnlyList<string> paths, bool includeDeleted)
    {
        if (paths.Count == 0)
        {
            return new Dictionary<string, FileRecord>();
        }

        return _access.Read(paths.Count == 1 ? paths[0] : $"{paths.Count} paths",
            connection => _access.Sql.LookupFiles(connection, tenant, paths, includeDeleted));
    }

    /// <summary>One record, or null.</summary>
    public FileRecord? Get(string tenant, string path, bool includeDeleted = false) =>
        Lookup(tenant, new[] { path }, includeDeleted).TryGetValue(path, out var record) ? record : null;

    /// <summary>Records under a prefix, in byte-wise path order, streamed (dispose the enumerator to stop early).</summary>
    public IEnumerable<FileRecord> List(FileQuery query)
    {
        // The statements are made inside each call (here and below): a call run again after the
        // store's layout changed (StoreRetries) makes them anew for the new layout.
        return _access.Stream(
            query.Prefix,
            connection =>
            {
                if (query.Attributes.Count > 0)
                {
                    _access.Sql.PrepareForJson(connection);
                }
            },
            connection => ListCommand(connection, query, Where(query), string.Empty),
            reader => FileRecordColumns.Read(reader, _access.Dialect));
    }

    /// <summary>
    /// The database's plan for <see cref="List"/> (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN),
    /// one line per row, to see which indexes a listing uses.
    /// </summary>
    public IReadOnlyList<string> ExplainList(FileQuery query)
    {
        return _access.Read(query.Prefix, connection =>
        {
            _access.Sql.PrepareForJson(connection);
            using var command = ListCommand(connection, query, Where(query), _access.Sql.ExplainPrefix);
            using var reader = command.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
            {
                lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? string.Empty);
            }

            return lines;
        });
    }

    private DbCommand ListCommand(DbConnection connection, FileQuery query, (string Sql, Action<DbCommand> Bind) where, string explain)
    {
        var command = connection.CreateCommand(
            $"{explain}SELECT {FileRecordColumns.Select} FROM file_paths f WHERE {where.Sql} ORDER BY f.virtual_path{_access.Sql.OrdinalCollation}{(query.AllTenants ? $", f.tenant_id{_access.Sql.OrdinalCollation}" : string.Empty)} LIMIT @take OFFSET @skip");
        where.Bind(command);
        // LIMIT + OFFSET stays a bigint: Citus asks each shard for that many rows.
        command.AddParameter("@take", Math.Min(query.Take ?? long.MaxValue, long.MaxValue - query.Skip));
        command.AddParameter("@skip", query.Skip);
        return command;
    }

    /// <summary>How many records <see cref="List"/> would return without paging.</summary>
    public long Count(FileQuery query)
    {
        return _access.Read(query.Prefix, connection =>
        {
            if (query.Attributes.Count > 0)
            {
                _access.Sql.PrepareForJson(connection);
            }

            var where = Where(query);
            using var command = connection.CreateCommand($"SELECT count(*) FROM file_paths f WHERE {where.Sql}");
            where.Bind(command);
            return Convert.ToInt64(command.ExecuteScalar());
        });
    }

    /// <summary>Every tenant that holds records, in byte-wise order, with how many live and soft-deleted records it holds.</summary>
    public IReadOnlyList<TenantInfo> ListTenants() => _access.Read(null, connection =>
    {
        using var command = connection.CreateCommand(
            $"SELECT tenant_id, sum(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END) FROM file_paths GROUP BY tenant_id ORDER BY tenant_id{_access.Sql.OrdinalCollation}");
        using var reader = command.ExecuteReader();
        var tenants = new List<TenantInfo>();
        while (reader.Read())
        {
            tenants.Add(new TenantInfo(reader.GetString(0), Convert.ToInt64(reader.GetValue(1)), Convert.ToInt64(reader.GetValue(2))));
        }

        return (IReadOnlyList<TenantInfo>)tenants;
    });

    /// <summary>
    /// Soft-deletes (sets DeletedAt on live records) or purges (removes rows and attributes of live
    /// and deleted records) these paths in ONE transaction. Returns the records it removed, by path;
    /// paths without a matching record are absent.
    /// </summary>
    public IReadOnlyDictionary<string, FileRecord> Remove(string tenant, IReadOnlyList<string> paths, bool purge, CancellationToken cancel = default)
    {
        var removed = new Dictionary<string, FileRecord>(StringComparer.Ordinal);
        if (paths.Count == 0)
        {
            return removed;
        }

        return _access.Write(paths.Count == 1 ? paths[0] : $"{paths.Count} paths", (connection, transaction) =>
        {
            removed.Clear(); // a retried transaction starts over
            using var command = connection.CreateCommand(purge
                ? $"DELETE FROM file_paths WHERE tenant_id = @tenant AND virtual_path = @path RETURNING {FileRecordColumns.Plain}"
                : $"UPDATE file_paths SET deleted_at = @now WHERE tenant_id = @tenant AND virtual_path = @path AND deleted_at IS NULL RETURNING {FileRecordColumns.Plain}",
                transaction);
            command.AddParameter("@tenant", tenant);
            var path = command.AddParameter("@path", null);
            if (!purge)
            {
                _access.Dialect.AddTimestamp(command, "@now", DbTime.UtcNow());
            }

            // A purged row's attributes go with it: file_metadata.path_id is ON DELETE CASCADE in
            // both dialects, and every connection of this module has foreign keys on.
            foreach (var wanted in paths)
            {
                cancel.ThrowIfCancellationRequested();
                path.Value = wanted;
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    removed[wanted] = FileRecordColumns.Read(reader, _access.Dialect);
                }
            }

            cancel.ThrowIfCancellationRequested();
            return removed;
        });
    }

    /// <summary>
    /// Moves a live record (and its attributes) to <paramref name="newPath"/> in one transaction.
    /// An existing record at the new path is an AlreadyExists error unless <paramref name="force"/>,
    /// which replaces it (with its attributes).
    /// </summary>
    public FileRecord Rename(string tenant, string path, string newPath, bool force)
    {
        return _access.Write(path, (connection, transaction) =>
        {
            var source = FindId(connection, transaction, tenant, path, liveOnly: true)
                ?? throw StoreErrors.NoRecord(tenant, path);
            if (string.Equals(path, newPath, StringComparison.Ordinal))
            {
                return _access.Sql.LookupFiles(connection, tenant, new[] { path }, includeDeleted: false)[path];
            }

            var target = FindId(connection, transaction, tenant, newPath, liveOnly: false);
            if (target is not null)
            {
                if (!force)
                {
                    throw new NexusException(NexusErrorKind.AlreadyExists,
                        $"A record already exists at '{TextRules.Printable(newPath)}' for tenant '{tenant}' (live or soft-deleted).",
                        newPath, hint: "Use -Force to replace it, or choose another -NewPath.");
                }

                // Its attributes go with it (ON DELETE CASCADE).
                using var drop = connection.CreateCommand($"DELETE FROM file_paths WHERE {_access.Sql.RowsOf("file_paths", "@tenant", "@id")}", transaction);
                drop.AddParameter("@tenant", tenant);
                drop.AddParameter("@id", target);
                drop.ExecuteNonQuery();
            }

            using var move = connection.CreateCommand(
                $"UPDATE file_paths SET virtual_path = @new, updated_at = @now, current_version = current_version + 1 WHERE {_access.Sql.RowsOf("file_paths", "@tenant", "@id")} RETURNING {FileRecordColumns.Plain}",
                transaction);
            move.AddParameter("@tenant", tenant);
            move.AddParameter("@new", newPath);
            _access.Dialect.AddTimestamp(move, "@now", DbTime.UtcNow());
            move.AddParameter("@id", source);
            using var reader = move.ExecuteReader();
            reader.Read();
            return FileRecordColumns.Read(reader, _access.Dialect);
        });
    }

    /// <summary>The row id of a path (typed as the dialect keeps ids), or null.</summary>
    internal static object? FindId(DbConnection connection, DbTransaction? transaction, string tenant, string path, bool liveOnly)
    {
        using var command = connection.CreateCommand(
            "SELECT path_id FROM file_paths WHERE tenant_id = @tenant AND virtual_path = @path" + (liveOnly ? " AND deleted_at IS NULL" : string.Empty),
            transaction);
        command.AddParameter("@tenant", tenant);
        command.AddParameter("@path", path);
        var id = command.ExecuteScalar();
        return id is null or DBNull ? null : id;
    }

    private (string Sql, Action<DbCommand> Bind) Where(FileQuery query)
    {
        var sql = _access.Sql;
        var collate = sql.OrdinalCollation;
        var upper = PathRules.Successor(query.Prefix);
        var text = (query.AllTenants ? string.Empty : "f.tenant_id = @tenant AND ") + $"f.virtual_path{collate} >= @low"
            + (upper is null ? string.Empty : $" AND f.virtual_path{collate} < @high")
            + (query.IncludeDeleted ? string.Empty : " AND f.deleted_at IS NULL");
        var exact = new object?[query.Attributes.Count];
        for (var i = 0; i < query.Attributes.Count; i++)
        {
            var (match, value) = sql.AttributeMatch("@k" + i, "@v" + i, "@e" + i, query.Attributes[i].Value, query.AllTenants ? null : "@tenant");
            text += $" AND {match}";
            exact[i] = value;
        }

        return (text, command =>
        {
            if (!query.AllTenants)
            {
                command.AddParameter("@tenant", query.Tenant);
            }

            command.AddParameter("@low", query.Prefix);
            if (upper is not null)
            {
                command.AddParameter("@high", upper);
            }

            for (var i = 0; i < query.Attributes.Count; i++)
            {
                command.AddParameter("@k" + i, query.Attributes[i].Key);
                command.AddParameter("@v" + i, query.Attributes[i].Value);
                if (exact[i] is { } value)
                {
                    command.AddParameter("@e" + i, value);
                }
            }
        });
    }

    private static NexusException Invalid(string path, string problem) =>
        new(NexusErrorKind.InvalidArgument, $"The record for '{TextRules.Printable(path)}' {problem}.", path);
}
