using System.Data.Common;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// The keys and indexes the migrations created on the staging tables, dropped before the load and
/// rebuilt by their names and definitions, each table's as soon as its load ends. A primary or
/// unique key is built as its unique index first (CREATE INDEX takes a SHARE lock, so the
/// table's other index builds and its read-back run beside it) and then attached with
/// ADD CONSTRAINT … USING INDEX, which only renames: the catalog ends up as the migrations made it.
/// </summary>
internal sealed class PostgresStagedKeys : IStagedKeys
{
    private readonly IReadOnlyList<PostgresSchemaObject> _objects;

    // Key name → the definition of the unique index behind it.
    private readonly IReadOnlyDictionary<string, string> _keyIndexes;

    private PostgresStagedKeys(IReadOnlyList<PostgresSchemaObject> objects, IReadOnlyDictionary<string, string> keyIndexes)
    {
        _objects = objects;
        _keyIndexes = keyIndexes;
    }

    /// <summary>Captures and drops the keys and indexes of the tables <paramref name="connection"/> sees, in one transaction.</summary>
    public static PostgresStagedKeys Strip(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        var objects = PostgresSchemaObject.Capture(connection, transaction);
        var keyIndexes = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand(
            "SELECT quote_ident(conname), pg_get_indexdef(conindid) FROM pg_constraint WHERE contype IN ('p', 'u') AND conrelid IN ('file_paths'::regclass, 'file_metadata'::regclass, 'content_chunks'::regclass)",
            transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                keyIndexes[reader.GetString(0)] = reader.GetString(1);
            }
        }

        PostgresSchemaObject.Drop(connection, transaction, objects);
        transaction.Commit();
        return new PostgresStagedKeys(objects, keyIndexes);
    }

    public IReadOnlyList<string> Builds(string table) =>
        _objects.Where(o => o.Table == table && o.Kind != 'f').Select(o => o.Name).ToList();

    public void Build(DbConnection stagingConnection, string table, string name)
    {
        var o = _objects.Single(o => o.Table == table && o.Name == name);
        Run(stagingConnection, o.Kind == 'i' ? o.Definition : _keyIndexes[o.Name], sortMemory: true);
    }

    public void AttachKeys(DbConnection stagingConnection, string table)
    {
        foreach (var o in _objects.Where(o => o.Table == table && o.Kind is 'p' or 'u').OrderBy(o => o.Kind))
        {
            Run(stagingConnection, $"ALTER TABLE {o.Table} ADD CONSTRAINT {o.Name} {(o.Kind == 'p' ? "PRIMARY KEY" : "UNIQUE")} USING INDEX {o.Name}", sortMemory: false);
        }
    }

    public void BuildForeignKeys(DbConnection stagingConnection, string table)
    {
        foreach (var o in _objects.Where(o => o.Table == table && o.Kind == 'f'))
        {
            Run(stagingConnection, $"ALTER TABLE {o.Table} ADD CONSTRAINT {o.Name} {o.Definition}", sortMemory: true);
        }
    }

    private static void Run(DbConnection connection, string sql, bool sortMemory)
    {
        var npgsql = (NpgsqlConnection)connection;
        using var transaction = npgsql.BeginTransaction();
        if (sortMemory)
        {
            // Sorted bulk builds use this much memory each (session default is 64 MB).
            npgsql.Execute("SET LOCAL maintenance_work_mem = '256MB'", transaction);
        }

        using (var command = npgsql.CreateCommand(sql, transaction))
        {
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
