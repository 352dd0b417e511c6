namespace Nexus.Core.Dialects.Postgres;

internal sealed partial class PostgresDialect
{
    public IMigrationSql Migration { get; } = new PostgresMigrationSql();
}
