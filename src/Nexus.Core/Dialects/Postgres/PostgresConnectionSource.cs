using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>Pooled connections to one PostgreSQL database, through one NpgsqlDataSource.</summary>
internal sealed class PostgresConnectionSource : IConnectionSource
{
    private readonly StoreTarget _target;

    public PostgresConnectionSource(StoreTarget target)
    {
        _target = target;
        DataSource = NpgsqlDataSource.Create(target.ConnectionString);
    }

    /// <summary>The pool; DbUp's connection manager and binary COPY use it directly.</summary>
    public NpgsqlDataSource DataSource { get; }

    public DbConnection Open()
    {
        try
        {
            return DataSource.OpenConnection();
        }
        catch (NpgsqlException e) when (e.Message.Contains("pool has been exhausted", StringComparison.OrdinalIgnoreCase))
        {
            throw PoolExhausted(e);
        }
    }

    public void Dispose() => DataSource.Dispose();

    // Npgsql's own text names connection-string keywords; say it in the module's words.
    private NexusException PoolExhausted(Exception e)
    {
        var settings = new NpgsqlConnectionStringBuilder(_target.ConnectionString);
        return new NexusException(NexusErrorKind.Timeout,
            $"The connection pool of {_target.DisplayName} is exhausted: all {settings.MaxPoolSize} connections (pool.max, -MaxPoolSize) are in use and none came free within {settings.Timeout} s (pool.timeout). Raise pool.max, wait longer, or run fewer sessions at once.",
            _target.DisplayName, e);
    }
}
