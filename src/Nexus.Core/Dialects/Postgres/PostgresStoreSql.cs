using System.Data.Common;
using Nexus.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Store SQL for PostgreSQL: uuid ids, COLLATE "C" ordering (the idx_file_paths_tenant_path_c
/// index), jsonb containment on the GIN index, and bulk work as one multi-row statement per batch
/// (arrays through unnest), so a batch costs one round trip.
/// </summary>
internal sealed class PostgresStoreSql : IStoreSql
{
    private static readonly string UpsertSql = $"""
        INSERT INTO file_paths ({FileUpsertSql.Columns})
        SELECT u.id, u.tenant, u.path, u.backend, u.physical, u.type, u.size, u.hash, @now, @now, NULL, 1
        FROM unnest(@ids, @tenants, @paths, @backends, @physicals, @types, @sizes, @hashes)
             AS u(id, tenant, path, backend, physical, type, size, hash)
        {FileUpsertSql.OnConflict}
        """;

    public object NewId() => Guid.NewGuid();

    public string OrdinalCollation => " COLLATE \"C\"";

    public string ExplainPrefix => "EXPLAIN ";

    public string JsonParameter(string name) => name + "::jsonb";

    // {key: value} @> {key: wanted} is value @> wanted except at the top level, where an array
    // also contains a scalar element: the key/value GIN index (0003) answers the first, the value
    // GIN index (0001) the arrays. The expression must stay the index's to the letter. m.value::jsonb
    // is no cast at all on a jsonb column, and reads the JSON text an adopted store keeps for the
    // original system (-KeepOriginalTypes), whose 0003 index is built on the same cast.
    public (string Sql, object? Exact) AttributeMatch(string key, string value, string exact, string json)
    {
        var keyed = $"SELECT m.path_id FROM file_metadata m WHERE jsonb_set('{{}}'::jsonb, ARRAY[m.key::text], m.value::jsonb) @> jsonb_set('{{}}'::jsonb, ARRAY[{key}::text], {value}::jsonb)";
        var scalar = json.TrimStart() is { Length: > 0 } text && text[0] is not ('{' or '[');
        return (scalar
            ? $"{keyed} UNION ALL SELECT m.path_id FROM file_metadata m WHERE m.key = {key} AND jsonb_typeof(m.value::jsonb) = 'array' AND m.value::jsonb @> {value}::jsonb"
            : keyed, null);
    }

    public string LaterOf(string left, string right) => $"GREATEST({left}, {right})";

    public string LargerOf(string left, string right) => $"GREATEST({left}, {right})";

    public DbTransaction BeginWrite(DbConnection connection) => connection.BeginTransaction();

    public DbTransaction BeginRead(DbConnection connection) => connection.BeginTransaction();

    public void PrepareForJson(DbConnection connection)
    {
    }

    public void UpsertFiles(DbConnection connection, DbTransaction transaction, IReadOnlyList<FileRecord> run, DateTime now,
        List<FileRecord>? stored, CancellationToken cancel)
    {
        var count = run.Count;
        var ids = new Guid[count];
        var tenants = new string[count];
        var paths = new string[count];
        var backends = new string[count];
        var physicals = new string[count];
        var types = new string?[count];
        var sizes = new long[count];
        var hashes = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var record = run[i];
            ids[i] = Guid.NewGuid();
            tenants[i] = record.Tenant;
            paths[i] = record.Path;
            backends[i] = record.BackendName;
            physicals[i] = record.PhysicalPath;
            types[i] = record.MimeType;
            sizes[i] = record.Size;
            hashes[i] = record.ETag;
        }

        cancel.ThrowIfCancellationRequested();
        using var command = (NpgsqlCommand)connection.CreateCommand(stored is null ? UpsertSql : UpsertSql + FileUpsertSql.Returning, transaction);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
        command.Parameters.Add(new NpgsqlParameter("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = tenants });
        command.Parameters.Add(new NpgsqlParameter("paths", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = paths });
        command.Parameters.Add(new NpgsqlParameter("backends", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = backends });
        command.Parameters.Add(new NpgsqlParameter("physicals", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = physicals });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types });
        command.Parameters.Add(new NpgsqlParameter("sizes", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = sizes });
        command.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = hashes });
        if (stored is null)
        {
            command.ExecuteNonQuery();
            return;
        }

        // RETURNING comes back in no promised order: match rows to inputs by path.
        var byPath = new Dictionary<string, FileRecord>(count, StringComparer.Ordinal);
        var inputs = run.ToDictionary(r => r.Path, StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var path = reader.GetString(1);
                byPath[path] = FileUpsertSql.ReadStored(inputs[path], reader, SqlDialects.Postgres);
            }
        }

        foreach (var record in run)
        {
            stored.Add(byPath[record.Path]);
        }
    }

    public Dictionary<string, FileRecord> LookupFiles(DbConnection connection, string tenant, IReadOnlyList<string> paths, bool includeDeleted)
    {
        var found = new Dictionary<string, FileRecord>(StringComparer.Ordinal);
        // One index probe per path whatever the statistics say: right after a bulk load (before
        // autovacuum has analyzed the table) "virtual_path = ANY(@paths)" is planned as a
        // sequential scan per batch, four times slower at 100,000 records.
        using var command = (NpgsqlCommand)connection.CreateCommand(
            $"SELECT {FileRecordColumns.Select} FROM unnest(@paths) AS p(path) CROSS JOIN LATERAL " +
            $"(SELECT * FROM file_paths WHERE tenant_id = @tenant AND virtual_path = p.path" +
            (includeDeleted ? string.Empty : " AND deleted_at IS NULL") + " LIMIT 1) AS f");
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter("paths", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = paths.ToArray() });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var record = FileRecordColumns.Read(reader, SqlDialects.Postgres);
            found[record.Path] = record;
        }

        return found;
    }

    public Dictionary<string, object> FindLiveIds(DbConnection connection, DbTransaction transaction, string tenant, IReadOnlyList<string> paths)
    {
        var found = new Dictionary<string, object>(StringComparer.Ordinal);
        // One index probe per path (see LookupFiles), in one round trip.
        using var command = (NpgsqlCommand)connection.CreateCommand(
            "SELECT f.virtual_path, f.path_id FROM unnest(@paths) AS p(path) CROSS JOIN LATERAL " +
            "(SELECT virtual_path, path_id FROM file_paths WHERE tenant_id = @tenant AND virtual_path = p.path AND deleted_at IS NULL LIMIT 1) AS f",
            transaction);
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter("paths", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = paths.ToArray() });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found[reader.GetString(0)] = reader.GetGuid(1);
        }

        return found;
    }

    public void UpsertAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, DateTime now, CancellationToken cancel)
    {
        if (rows.Count == 0)
        {
            return;
        }

        cancel.ThrowIfCancellationRequested();
        using var command = (NpgsqlCommand)connection.CreateCommand(
            """
            INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
            SELECT u.id, u.path_id, u.key, u.value::jsonb, @now, @now
            FROM unnest(@ids, @path_ids, @keys, @values) AS u(id, path_id, key, value)
            ON CONFLICT (path_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            transaction);
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(_ => Guid.NewGuid()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("path_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => (Guid)r.PathId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Json).ToArray() });
        command.ExecuteNonQuery();
    }

    public HashSet<AttributeRow> DeleteAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, CancellationToken cancel)
    {
        var deleted = new HashSet<AttributeRow>();
        if (rows.Count == 0)
        {
            return deleted;
        }

        cancel.ThrowIfCancellationRequested();
        using var command = (NpgsqlCommand)connection.CreateCommand(
            "DELETE FROM file_metadata m USING unnest(@path_ids, @keys) AS u(path_id, key) WHERE m.path_id = u.path_id AND m.key = u.key RETURNING m.path_id, m.key",
            transaction);
        command.Parameters.Add(new NpgsqlParameter("path_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => (Guid)r.PathId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Key).ToArray() });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            deleted.Add(new AttributeRow(reader.GetGuid(0), reader.GetString(1), null));
        }

        return deleted;
    }

    public NexusException? TranslateDataError(Exception error, object? target) =>
        error is PostgresException pg && (pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal))
            ? new NexusException(NexusErrorKind.InvalidArgument, $"The store refused '{target}': {pg.MessageText} (SQLSTATE {pg.SqlState}).", target, error)
            : null;
}
