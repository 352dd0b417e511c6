namespace Nexus.Core.Dialects.Postgres;

internal sealed partial class PostgresDialect
{
    public IMigrationSql MigrationSql { get; } = new PostgresMigrationSql();
}
