using System.Data.Common;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// The keys and indexes the migrations created on the staging tables, dropped before the load and
/// rebuilt by their names and definitions, each table's as soon as its load ends.
/// </summary>
internal sealed class PostgresStagedKeys(IReadOnlyList<PostgresSchemaObject> objects) : IStagedKeys
{
    public void BuildKeys(DbConnection stagingConnection, string table) =>
        Build(stagingConnection, objects.Where(o => o.Table == table && o.Kind != 'f').ToList());

    public void BuildForeignKeys(DbConnection stagingConnection, string table) =>
        Build(stagingConnection, objects.Where(o => o.Table == table && o.Kind == 'f').ToList());

    private static void Build(DbConnection connection, IReadOnlyList<PostgresSchemaObject> build)
    {
        if (build.Count == 0)
        {
            return;
        }

        var npgsql = (NpgsqlConnection)connection;
        using var transaction = npgsql.BeginTransaction();
        // Sorted bulk builds use this much memory each (session default is 64 MB).
        npgsql.Execute("SET LOCAL maintenance_work_mem = '256MB'", transaction);
        PostgresSchemaObject.Restore(npgsql, transaction, build);
        transaction.Commit();
    }
}
