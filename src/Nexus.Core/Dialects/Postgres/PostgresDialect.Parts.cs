namespace Nexus.Core.Dialects.Postgres;

/// <summary>PostgreSQL's parts of the seam (see ISqlDialect.Parts).</summary>
internal sealed partial class PostgresDialect
{
    public IStoreSql Store { get; } = new PostgresStoreSql(tenantKeyed: false);

    public IOperationsSql Operations { get; } = new PostgresOperationsSql();
}
