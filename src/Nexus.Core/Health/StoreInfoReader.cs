using Nexus.Core.Dialects;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Health;

/// <summary>Get-NexusStoreInfo's engine: reads what a store is and holds, changing nothing.</summary>
public static class StoreInfoReader
{
    /// <summary>Reads <paramref name="store"/>'s information; <paramref name="exact"/> counts PostgreSQL rows instead of estimating them.</summary>
    public static StoreInfo Read(NexusStore store, bool exact)
    {
        try
        {
            using var connection = store.OpenConnection(ConnectionIntent.Read);
            var journal = MigrationJournal.ReadEntries(connection, store.Dialect);
            var tables = store.Dialect.ListTables(connection);
            var info = new StoreInfo
            {
                Provider = store.Provider,
                Database = store.Database,
                ServerVersion = store.Dialect.ReadServerVersion(connection),
                SchemaRevision = journal.LastOrDefault()?.MigrationId,
                HeadRevision = store.HeadRevision,
                MaxPoolSize = store.MaxPoolSize,
                ReplicaLag = WorstReplicaLag(store),
                Layout = journal.Count > 0 || tables.Contains(MigrationJournal.TableName) ? "Nexus"
                    : OriginalStoreAdopter.IsOriginalStore(connection, store.Dialect, journal) ? "Original"
                    : tables.Count == 0 ? "Empty"
                    : "Unknown",
            };
            var sizes = store.Dialect.Operations.ReadSizes(connection, store.Target, store.Primary, tables, exact, store.Dialect.Layout.Read(connection));
            info.JournalMode = sizes.JournalMode;
            info.DatabaseSize = sizes.DatabaseSize;
            info.FileSize = sizes.FileSize;
            info.WalSize = sizes.WalSize;
            info.Tables = sizes.Tables.Select(t => new TableInfo { Name = t.Name, Rows = t.Rows, RowsEstimated = t.RowsEstimated, SizeBytes = t.SizeBytes }).ToList();
            (info.PoolInUse, info.PoolIdle) = (sizes.PoolInUse, sizes.PoolIdle);
            if (tables.Contains("file_paths"))
            {
                info.Tenants = ReadTenants(connection);
            }

            return info;
        }
        catch (Exception e) when (e is not NexusException)
        {
            throw store.Dialect.Translate(e, store.Target);
        }
    }

    // The replica monitor's latest measure (from WAL positions): the standby furthest behind.
    private static TimeSpan? WorstReplicaLag(NexusStore store)
    {
        var lags = store.Hosts.Where(h => h.Role == "standby" && h.LagSeconds is not null).Select(h => h.LagSeconds!.Value).ToList();
        return lags.Count == 0 ? null : TimeSpan.FromSeconds(lags.Max());
    }

    private static IReadOnlyList<TenantInfo> ReadTenants(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand("""
            SELECT tenant_id,
                   sum(CASE WHEN deleted_at IS NULL THEN 1 ELSE 0 END),
                   sum(CASE WHEN deleted_at IS NULL THEN 0 ELSE 1 END)
            FROM file_paths GROUP BY tenant_id ORDER BY tenant_id
            """);
        using var reader = command.ExecuteReader();
        var tenants = new List<TenantInfo>();
        while (reader.Read())
        {
            tenants.Add(new TenantInfo { Tenant = reader.GetString(0), Records = Convert.ToInt64(reader.GetValue(1)), Deleted = Convert.ToInt64(reader.GetValue(2)) });
        }

        return tenants;
    }
}
