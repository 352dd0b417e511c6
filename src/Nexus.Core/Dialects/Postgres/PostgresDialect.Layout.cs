namespace Nexus.Core.Dialects.Postgres;

/// <summary>PostgreSQL holds every layout (distributed needs the citus extension).</summary>
internal sealed partial class PostgresDialect
{
    public ILayoutSql Layout { get; } = new PostgresLayoutSql();
}
