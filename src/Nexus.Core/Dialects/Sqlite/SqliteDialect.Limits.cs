using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;

namespace Nexus.Core.Dialects.Sqlite;

internal sealed partial class SqliteDialect
{
    // A file has no pool and no connect timeout; Default Timeout is also how long a writer waits for a lock.
    public StoreLimits ReadLimits(StoreTarget target) =>
        new(new SqliteConnectionStringBuilder(target.ConnectionString).DefaultTimeout);
}
