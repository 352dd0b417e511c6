using Nexus.Core.Connection;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

internal sealed partial class PostgresDialect
{
    public StoreLimits ReadLimits(StoreTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        return new StoreLimits(builder.CommandTimeout, builder.MaxPoolSize, builder.MinPoolSize, builder.Timeout);
    }
}
