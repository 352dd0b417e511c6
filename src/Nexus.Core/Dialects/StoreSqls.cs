using Nexus.Core.Dialects.Postgres;
using Nexus.Core.Dialects.Sqlite;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The store SQL of each provider.</summary>
internal static class StoreSqls
{
    public static readonly IStoreSql Sqlite = new SqliteStoreSql();
    public static readonly IStoreSql Postgres = new PostgresStoreSql();

    public static IStoreSql For(StoreProvider provider) =>
        provider == StoreProvider.Sqlite ? Sqlite : Postgres;
}
