namespace Nexus.Core.Dialects.Postgres;

/// <summary>PostgreSQL rebuilds a store's tables in any layout (distributed needs the citus extension).</summary>
internal sealed partial class PostgresDialect
{
    public ILayoutConversionSql? Conversion { get; } = new PostgresLayoutConversionSql();
}
