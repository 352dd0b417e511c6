namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite holds the plain layout only (see <see cref="SqliteLayoutSql"/>).</summary>
internal sealed partial class SqliteDialect
{
    public ILayoutSql Layout { get; } = new SqliteLayoutSql();
}
