using Nexus.Core.Dialects.Postgres;
using Nexus.Core.Dialects.Sqlite;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The dialect, and the store SQL, of each provider.</summary>
internal static class SqlDialects
{
    public static readonly ISqlDialect Sqlite = new SqliteDialect();
    public static readonly ISqlDialect Postgres = new PostgresDialect();

    private static readonly IStoreSql SqliteStore = new SqliteStoreSql();
    private static readonly IStoreSql PostgresStore = new PostgresStoreSql();

    private static readonly IOperationsSql SqliteOperations = new SqliteOperationsSql();
    private static readonly IOperationsSql PostgresOperations = new PostgresOperationsSql();

    public static ISqlDialect For(StoreProvider provider) =>
        provider == StoreProvider.Sqlite ? Sqlite : Postgres;

    public static IStoreSql StoreSqlFor(StoreProvider provider) =>
        provider == StoreProvider.Sqlite ? SqliteStore : PostgresStore;

    public static IOperationsSql OperationsSqlFor(StoreProvider provider) =>
        provider == StoreProvider.Sqlite ? SqliteOperations : PostgresOperations;
}
