using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// A primary key, unique constraint, foreign key or plain index on (or pointing at) the store's
/// tables, with its name and the definition PostgreSQL prints for it, so that it can be dropped
/// before a bulk load and rebuilt identically afterwards. CHECK and NOT NULL constraints stay.
/// On a partitioned table only the parent's objects count (conparentid = 0): the partitions'
/// copies go and come back with them.
/// </summary>
internal sealed record PostgresSchemaObject(string Table, string Name, char Kind, string Definition)
{
    private const string Tables = "('file_paths'::regclass, 'file_metadata'::regclass, 'content_chunks'::regclass)";

    public static IReadOnlyList<PostgresSchemaObject> Capture(NpgsqlConnection connection, System.Data.Common.DbTransaction transaction)
    {
        var sql = $"""
            SELECT c.conrelid::regclass::text, quote_ident(c.conname), c.contype, pg_get_constraintdef(c.oid)
              FROM pg_constraint c
             WHERE c.contype IN ('p', 'u', 'f') AND c.conparentid = 0
               AND (c.conrelid IN {Tables} OR c.confrelid IN {Tables})
            UNION ALL
            SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, 'i', pg_get_indexdef(i.indexrelid)
              FROM pg_index i
             WHERE i.indrelid IN {Tables}
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            """;
        using var command = connection.CreateCommand(sql, transaction);
        using var reader = command.ExecuteReader();
        var list = new List<PostgresSchemaObject>();
        while (reader.Read())
        {
            list.Add(new PostgresSchemaObject(reader.GetString(0), reader.GetString(1), reader.GetChar(2), reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Drops foreign keys first (they depend on the keys), then keys, then indexes.</summary>
    public static void Drop(NpgsqlConnection connection, System.Data.Common.DbTransaction transaction, IReadOnlyList<PostgresSchemaObject> objects)
    {
        foreach (var o in objects.OrderBy(o => o.Kind switch { 'f' => 0, 'u' => 1, 'p' => 2, _ => 3 }))
        {
            connection.Execute(o.Kind == 'i' ? $"DROP INDEX {o.Name}" : $"ALTER TABLE {o.Table} DROP CONSTRAINT {o.Name}", transaction);
        }
    }

    /// <summary>Rebuilds keys first (a foreign key needs its referenced key), then foreign keys, then indexes.</summary>
    public static void Restore(NpgsqlConnection connection, System.Data.Common.DbTransaction transaction, IReadOnlyList<PostgresSchemaObject> objects)
    {
        foreach (var o in objects.OrderBy(o => o.Kind switch { 'p' => 0, 'u' => 1, 'f' => 2, _ => 3 }))
        {
            using var command = connection.CreateCommand(
                o.Kind == 'i' ? Recursive(o.Definition) : $"ALTER TABLE {o.Table} ADD CONSTRAINT {o.Name} {o.Definition}", transaction);
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }
    }

    // PostgreSQL prints a partitioned table's index as "ON ONLY" (the parent alone, invalid until
    // each partition's index is attached); built again it must cover the partitions too.
    private static string Recursive(string definition) =>
        definition.Replace(" ON ONLY ", " ON ", StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{Name} on {Table}: {Definition}";
}
