namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite's parts of the seam (see ISqlDialect.Parts).</summary>
internal sealed partial class SqliteDialect
{
    public IStoreSql Store { get; } = new SqliteStoreSql();

    public IOperationsSql Operations { get; } = new SqliteOperationsSql();
}
