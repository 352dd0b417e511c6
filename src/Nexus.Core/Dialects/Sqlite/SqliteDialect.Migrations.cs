namespace Nexus.Core.Dialects.Sqlite;

internal sealed partial class SqliteDialect
{
    public IMigrationSql Migration { get; } = new SqliteMigrationSql();
}
