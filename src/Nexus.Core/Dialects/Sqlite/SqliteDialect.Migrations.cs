namespace Nexus.Core.Dialects.Sqlite;

internal sealed partial class SqliteDialect
{
    public IMigrationSql MigrationSql { get; } = new SqliteMigrationSql();
}
