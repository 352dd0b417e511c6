namespace Nexus.Core.Dialects.Sqlite;

/// <summary>SQLite loads in one transaction only: no schemas to stage in.</summary>
internal sealed partial class SqliteDialect
{
    public IStagingSql? Staging => null;
}
