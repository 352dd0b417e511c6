using Nexus.Core.Dialects.Postgres;
using Nexus.Core.Dialects.Sqlite;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The dialect of each provider: the one entry point to what a database does differently.</summary>
internal static class SqlDialects
{
    public static readonly ISqlDialect Sqlite = new SqliteDialect();
    public static readonly ISqlDialect Postgres = new PostgresDialect();

    public static ISqlDialect For(StoreProvider provider) =>
        provider == StoreProvider.Sqlite ? Sqlite : Postgres;
}
