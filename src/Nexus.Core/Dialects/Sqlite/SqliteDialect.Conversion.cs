namespace Nexus.Core.Dialects.Sqlite;

/// <summary>An SQLite store has the plain layout only: nothing to convert to.</summary>
internal sealed partial class SqliteDialect
{
    public ILayoutConversionSql? Conversion => null;
}
