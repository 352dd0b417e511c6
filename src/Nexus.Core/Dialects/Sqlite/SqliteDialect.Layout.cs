using Nexus.Core.Store;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite holds the plain layout only (see <see cref="SqliteLayoutSql"/>).</summary>
internal sealed partial class SqliteDialect
{
    public ILayoutSql Layout { get; } = new SqliteLayoutSql();

    // SqliteLayoutSql.Read says plain for every SQLite store.
    public IStoreSql StoreFor(StoreLayout layout) => layout.IsTenantKeyed
        ? throw new NotSupportedException($"An SQLite store has the plain layout only, not {layout.Name}.")
        : Store;
}
