using System.Data.Common;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>The embedded dialect's answers to Transfer/ (see <see cref="SqliteTransferSql"/>).</summary>
internal sealed partial class SqliteDialect
{
    public ITransferSql Transfer { get; } = new SqliteTransferSql();

    public IReadOnlyList<string> ListColumns(DbConnection connection, DbTransaction? transaction, string table) =>
        ColumnListing.Read(connection, transaction, "SELECT name FROM pragma_table_info(@t) ORDER BY cid", table);
}
