using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// Store SQL for SQLite: text ids, BINARY (byte-wise) ordering, JSON text with containment in a
/// C# function, BEGIN IMMEDIATE writers, and bulk work as one prepared command reused in one
/// transaction.
/// </summary>
internal sealed class SqliteStoreSql : IStoreSql
{
    private const string ContainsFunction = "nexus_json_contains";

    private static readonly string UpsertSql =
        $"INSERT INTO file_paths ({FileUpsertSql.Columns}) VALUES (@id, @tenant, @path, @backend, @physical, @type, @size, @hash, @now, @now, NULL, 1) {FileUpsertSql.OnConflict}";

    public object NewId() => Guid.NewGuid().ToString();

    public string OrdinalCollation => string.Empty;

    public string ExplainPrefix => "EXPLAIN QUERY PLAN ";

    public string JsonParameter(string name) => "json(" + name + ")";

    // Canonical scalars are found by equality on idx_file_metadata_key_scalar; everything else
    // of the key (idx_file_metadata_key_other) goes through the containment function. Together
    // the two halves hold every row, and an equal canonical scalar always contains the value, so
    // the answer is the function's over all rows of the key. INDEXED BY: statistics give the
    // partial index the same rows per key as idx_file_metadata_key, and the planner would take
    // that one, reading every row of the key.
    public (string Sql, object? Exact) AttributeMatch(string key, string value, string exact, string json, string? tenant)
    {
        var other = $"SELECT m.path_id FROM file_metadata m INDEXED BY idx_file_metadata_key_other WHERE m.key = {key} AND NOT ({AttributeLookup.Scalar}) AND {ContainsFunction}(m.value, {value})";
        if (AttributeLookup.CanonicalScalar(json) is not { } canonical)
        {
            return ($"f.path_id IN ({other})", null); // an object or array (only other values can contain it), or a decimal
        }

        var equal = canonical.Quote ? $"json_quote({exact})" : exact;
        return ($"f.path_id IN (SELECT m.path_id FROM file_metadata m INDEXED BY idx_file_metadata_key_scalar WHERE m.key = {key} AND m.value = {equal} AND {AttributeLookup.Scalar} UNION ALL {other})",
            canonical.Text);
    }

    // One file, one layout: a row id alone finds a record's rows.
    public string RowsOf(string alias, string tenant, string id) => $"{alias}.path_id = {id}";

    public string LaterOf(string left, string right) =>
        $"(CASE WHEN {right} IS NULL THEN {left} WHEN {left} IS NULL OR {right} > {left} THEN {right} ELSE {left} END)";

    public string LargerOf(string left, string right) => $"max({left}, {right})";

    public DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public void PrepareForJson(DbConnection connection) =>
        ((SqliteConnection)connection).CreateFunction<string?, string?, bool>(ContainsFunction, JsonContainment.Contains, isDeterministic: true);

    public void UpsertFiles(DbConnection connection, DbTransaction transaction, IReadOnlyList<FileRecord> run, DateTime now,
        List<FileRecord>? stored, CancellationToken cancel)
    {
        using var command = connection.CreateCommand(stored is null ? UpsertSql : UpsertSql + FileUpsertSql.Returning, transaction);
        var id = command.AddParameter("@id", null);
        var tenant = command.AddParameter("@tenant", null);
        var path = command.AddParameter("@path", null);
        var backend = command.AddParameter("@backend", null);
        var physical = command.AddParameter("@physical", null);
        var type = command.AddParameter("@type", null);
        var size = command.AddParameter("@size", null);
        var hash = command.AddParameter("@hash", null);
        command.AddParameter("@now", DbTime.ToText(now));
        command.Prepare();
        foreach (var record in run)
        {
            cancel.ThrowIfCancellationRequested();
            id.Value = NewId();
            tenant.Value = record.Tenant;
            path.Value = record.Path;
            backend.Value = record.BackendName;
            physical.Value = record.PhysicalPath;
            type.Value = (object?)record.MimeType ?? DBNull.Value;
            size.Value = record.Size;
            hash.Value = (object?)record.ETag ?? DBNull.Value;
            if (stored is null)
            {
                command.ExecuteNonQuery();
                continue;
            }

            using var reader = command.ExecuteReader();
            reader.Read();
            stored.Add(FileUpsertSql.ReadStored(record, reader, SqlDialects.Sqlite));
        }
    }

    public Dictionary<string, FileRecord> LookupFiles(DbConnection connection, string tenant, IReadOnlyList<string> paths, bool includeDeleted)
    {
        var found = new Dictionary<string, FileRecord>(StringComparer.Ordinal);
        using var transaction = BeginRead(connection);
        using var command = connection.CreateCommand(
            $"SELECT {FileRecordColumns.Select} FROM file_paths f WHERE f.tenant_id = @tenant AND f.virtual_path = @path" +
            (includeDeleted ? string.Empty : " AND f.deleted_at IS NULL"), transaction);
        command.AddParameter("@tenant", tenant);
        var path = command.AddParameter("@path", null);
        command.Prepare();
        foreach (var wanted in paths)
        {
            path.Value = wanted;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                found[wanted] = FileRecordColumns.Read(reader, SqlDialects.Sqlite);
            }
        }

        transaction.Commit();
        return found;
    }

    public Dictionary<string, object> FindLiveIds(DbConnection connection, DbTransaction transaction, string tenant, IReadOnlyList<string> paths)
    {
        var found = new Dictionary<string, object>(StringComparer.Ordinal);
        using var command = connection.CreateCommand(
            "SELECT path_id FROM file_paths WHERE tenant_id = @tenant AND virtual_path = @path AND deleted_at IS NULL", transaction);
        command.AddParameter("@tenant", tenant);
        var path = command.AddParameter("@path", null);
        command.Prepare();
        foreach (var wanted in paths)
        {
            path.Value = wanted;
            if (command.ExecuteScalar() is string id)
            {
                found[wanted] = id;
            }
        }

        return found;
    }

    public void UpsertAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, DateTime now, CancellationToken cancel)
    {
        using var command = connection.CreateCommand(
            """
            INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
            VALUES (@id, @path_id, @key, json(@value), @now, @now)
            ON CONFLICT (path_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            transaction);
        var id = command.AddParameter("@id", null);
        var pathId = command.AddParameter("@path_id", null);
        var key = command.AddParameter("@key", null);
        var value = command.AddParameter("@value", null);
        command.AddParameter("@now", DbTime.ToText(now));
        command.Prepare();
        foreach (var row in rows)
        {
            cancel.ThrowIfCancellationRequested();
            id.Value = NewId();
            pathId.Value = row.PathId;
            key.Value = row.Key;
            value.Value = row.Json;
            command.ExecuteNonQuery();
        }
    }

    public HashSet<AttributeRow> DeleteAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, CancellationToken cancel)
    {
        var deleted = new HashSet<AttributeRow>();
        using var command = connection.CreateCommand("DELETE FROM file_metadata WHERE path_id = @path_id AND key = @key", transaction);
        var pathId = command.AddParameter("@path_id", null);
        var key = command.AddParameter("@key", null);
        command.Prepare();
        foreach (var row in rows)
        {
            cancel.ThrowIfCancellationRequested();
            pathId.Value = row.PathId;
            key.Value = row.Key;
            if (command.ExecuteNonQuery() > 0)
            {
                deleted.Add(row with { Json = null });
            }
        }

        return deleted;
    }

    public NexusException? TranslateDataError(Exception error, object? target) =>
        error is SqliteException { SqliteErrorCode: SqliteErrorCodes.TooBig or SqliteErrorCodes.Constraint or SqliteErrorCodes.Mismatch or SqliteErrorCodes.Range } sqlite
            ? new NexusException(NexusErrorKind.InvalidArgument, $"The store refused '{target}': {sqlite.Message}", target, error)
            : null;
}
