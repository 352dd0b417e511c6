using System.Data.Common;
using Nexus.Core.Connection;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>Pooled connections to one PostgreSQL database, through one NpgsqlDataSource.</summary>
internal sealed class PostgresConnectionSource : IConnectionSource
{
    public PostgresConnectionSource(StoreTarget target)
    {
        DataSource = NpgsqlDataSource.Create(target.ConnectionString);
    }

    /// <summary>The pool; DbUp's connection manager and binary COPY use it directly.</summary>
    public NpgsqlDataSource DataSource { get; }

    public DbConnection Open() => DataSource.OpenConnection();

    public void ClearPool() => DataSource.Clear();

    public void Dispose() => DataSource.Dispose();
}
