using Nexus.Core.Dialects;

namespace Nexus.Core.Store;

/// <summary>
/// The key/value attributes of a file record. Values travel as JSON text (the cmdlets convert
/// PowerShell values); each is at most <see cref="AttributeRules.MaxValueBytes"/> bytes.
/// </summary>
public sealed class AttributeStore : IStoreEngine
{
    private readonly StoreAccess _access;

    /// <summary>The attributes of <paramref name="store"/>; fails if its schema is not current.</summary>
    public AttributeStore(NexusStore store)
    {
        _access = new StoreAccess(store);
    }

    /// <inheritdoc />
    public Action<string>? Log
    {
        get => _access.Log;
        set => _access.Log = value;
    }

    /// <summary>Sets (inserts or replaces) several attributes of one live record in one transaction.</summary>
    public void Set(string tenant, string path, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        foreach (var (key, json) in values)
        {
            AttributeRules.ValidateKey(key);
            AttributeRules.CheckValueSize(key, json);
        }

        _access.Write(path, (connection, transaction) =>
        {
            var id = MetadataStore.FindId(connection, transaction, tenant, path, liveOnly: true)
                ?? throw StoreErrors.NoRecord(tenant, path);
            using var command = connection.CreateCommand(
                $"""
                INSERT INTO file_metadata (metadata_id, path_id, key, value, created_at, updated_at)
                VALUES (@id, @path_id, @key, {_access.Sql.JsonParameter("@value")}, @now, @now)
                ON CONFLICT (path_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """,
                transaction);
            var rowId = command.AddParameter("@id", null);
            command.AddParameter("@path_id", id);
            var key = command.AddParameter("@key", null);
            var value = command.AddParameter("@value", null);
            _access.Dialect.AddTimestamp(command, "@now", DbTime.UtcNow());
            foreach (var pair in values)
            {
                rowId.Value = _access.Sql.NewId();
                key.Value = pair.Key;
                value.Value = pair.Value;
                command.ExecuteNonQuery();
            }

            return 0;
        });
    }

    /// <summary>All attributes of one live record, as key → JSON text, in byte-wise key order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Get(string tenant, string path)
    {
        return _access.Read(path, connection =>
        {
            var id = MetadataStore.FindId(connection, null, tenant, path, liveOnly: true)
                ?? throw StoreErrors.NoRecord(tenant, path);
            using var command = connection.CreateCommand(
                $"SELECT key, value FROM file_metadata WHERE path_id = @id ORDER BY key{_access.Sql.OrdinalCollation}");
            command.AddParameter("@id", id);
            using var reader = command.ExecuteReader();
            var values = new List<KeyValuePair<string, string>>();
            while (reader.Read())
            {
                values.Add(new(reader.GetString(0), reader.IsDBNull(1) ? "null" : reader.GetString(1)));
            }

            return values;
        });
    }

    /// <summary>Removes attributes of one live record in one transaction; returns the keys that existed.</summary>
    public IReadOnlyList<string> Remove(string tenant, string path, IReadOnlyList<string> keys)
    {
        return _access.Write(path, (connection, transaction) =>
        {
            var id = MetadataStore.FindId(connection, transaction, tenant, path, liveOnly: true)
                ?? throw StoreErrors.NoRecord(tenant, path);
            using var command = connection.CreateCommand("DELETE FROM file_metadata WHERE path_id = @id AND key = @key", transaction);
            command.AddParameter("@id", id);
            var key = command.AddParameter("@key", null);
            var removed = new List<string>();
            foreach (var wanted in keys)
            {
                key.Value = wanted;
                if (command.ExecuteNonQuery() > 0)
                {
                    removed.Add(wanted);
                }
            }

            return removed;
        });
    }
}
