using System.Data.Common;
using Nexus.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Store SQL for PostgreSQL: uuid ids, COLLATE "C" ordering (the idx_file_paths_tenant_path_c
/// index), jsonb containment on the GIN index, and bulk work as one multi-row statement per batch
/// (arrays through unnest), so a batch costs one round trip. On the tenant-keyed layouts
/// (partitioned, distributed) file_metadata carries tenant_id and its keys start with it: every
/// statement that knows the tenant names it, so PostgreSQL prunes to one partition and Citus
/// routes to one shard; attributes join their records on (tenant_id, path_id). The plain
/// layout's statements are the ones the plain tables have always had.
/// </summary>
internal sealed class PostgresStoreSql : IStoreSql
{
    private readonly bool _keyed;
    private static readonly string UpsertSql = $"""
        INSERT INTO file_paths ({FileUpsertSql.Columns})
        SELECT u.id, u.tenant, u.path, u.backend, u.physical, u.type, u.size, u.hash, @now, @now, NULL, 1
        FROM unnest(@ids, @tenants, @paths, @backends, @physicals, @types, @sizes, @hashes)
             AS u(id, tenant, path, backend, physical, type, size, hash)
        {FileUpsertSql.OnConflict}
        """;

    /// <param name="tenantKeyed">True for the partitioned and distributed layouts.</param>
    public PostgresStoreSql(bool tenantKeyed)
    {
        _keyed = tenantKeyed;
    }

    public object NewId() => Guid.NewGuid();

    public string OrdinalCollation => " COLLATE \"C\"";

    public string ExplainPrefix => "EXPLAIN ";

    public string JsonParameter(string name) => name + "::jsonb";

    // {key: value} @> {key: wanted} is value @> wanted except at the top level, where an array
    // also contains a scalar element: the key/value GIN index (0003) answers the first, the value
    // GIN index (0001) the arrays. The expression must stay the index's to the letter. m.value::jsonb
    // is no cast at all on a jsonb column, and reads the JSON text an adopted store keeps for the
    // original system (-KeepOriginalTypes), whose 0003 index is built on the same cast.
    // Keyed: the subquery names the tenant too (one partition or shard, a colocated join on Citus)
    // and matches on (tenant_id, path_id), the key file_metadata refers to file_paths by.
    public (string Sql, object? Exact) AttributeMatch(string key, string value, string exact, string json, string? tenant)
    {
        var (columns, scope) = !_keyed ? ("m.path_id", string.Empty)
            : tenant is null ? ("m.tenant_id, m.path_id", string.Empty)
            : ("m.tenant_id, m.path_id", $"m.tenant_id = {tenant} AND ");
        var keyed = $"SELECT {columns} FROM file_metadata m WHERE {scope}jsonb_set('{{}}'::jsonb, ARRAY[m.key::text], m.value::jsonb) @> jsonb_set('{{}}'::jsonb, ARRAY[{key}::text], {value}::jsonb)";
        var scalar = json.TrimStart() is { Length: > 0 } text && text[0] is not ('{' or '[');
        var match = scalar
            ? $"{keyed} UNION ALL SELECT {columns} FROM file_metadata m WHERE {scope}m.key = {key} AND jsonb_typeof(m.value::jsonb) = 'array' AND m.value::jsonb @> {value}::jsonb"
            : keyed;
        return ((_keyed ? "(f.tenant_id, f.path_id)" : "f.path_id") + $" IN ({match})", null);
    }

    public string RowsOf(string alias, string tenant, string id) =>
        _keyed ? $"{alias}.tenant_id = {tenant} AND {alias}.path_id = {id}" : $"{alias}.path_id = {id}";

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
        // Keyed: each row takes its record's tenant (the partition or shard it goes to).
        using var command = (NpgsqlCommand)connection.CreateCommand(_keyed
            ? """
              INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at, tenant_id)
              SELECT u.id, u.path_id, u.key, u.value::jsonb, @now, @now, u.tenant
              FROM unnest(@ids, @path_ids, @keys, @values, @tenants) AS u(id, path_id, key, value, tenant)
              ON CONFLICT (tenant_id, path_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
              """
            : """
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
        if (_keyed)
        {
            command.Parameters.Add(new NpgsqlParameter("tenants", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Tenant).ToArray() });
        }

        command.ExecuteNonQuery();
    }

    public HashSet<AttributeRow> DeleteAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, CancellationToken cancel)
    {
        var deleted = new HashSet<AttributeRow>();
        if (rows.Count == 0)
        {
            return deleted;
        }

        if (!_keyed)
        {
            DeleteAttributes(connection, transaction, rows, null, deleted, cancel);
            return deleted;
        }

        // One statement per tenant, which names it: one partition, or one shard on Citus (which
        // refuses a DELETE ... USING a function across shards). A batch usually holds one tenant.
        foreach (var tenant in rows.GroupBy(r => r.Tenant, StringComparer.Ordinal))
        {
            DeleteAttributes(connection, transaction, tenant.ToArray(), tenant.Key, deleted, cancel);
        }

        return deleted;
    }

    private static void DeleteAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, string? tenant,
        HashSet<AttributeRow> deleted, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        using var command = (NpgsqlCommand)connection.CreateCommand(
            "DELETE FROM file_metadata m USING unnest(@path_ids, @keys) AS u(path_id, key) WHERE " +
            (tenant is null ? string.Empty : "m.tenant_id = @tenant AND ") +
            "m.path_id = u.path_id AND m.key = u.key RETURNING m.path_id, m.key",
            transaction);
        command.Parameters.Add(new NpgsqlParameter("path_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => (Guid)r.PathId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Key).ToArray() });
        if (tenant is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Text) { Value = tenant });
        }

        // Rows come back as the input named them (a row id belongs to one tenant).
        var asGiven = rows.ToDictionary(r => ((Guid)r.PathId, r.Key), r => r with { Json = null });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            deleted.Add(asGiven[(reader.GetGuid(0), reader.GetString(1))]);
        }
    }

    public NexusException? TranslateDataError(Exception error, object? target) =>
        error is PostgresException pg && (pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal))
            ? new NexusException(NexusErrorKind.InvalidArgument, $"The store refused '{target}': {pg.MessageText} (SQLSTATE {pg.SqlState}).", target, error)
            : null;
}
