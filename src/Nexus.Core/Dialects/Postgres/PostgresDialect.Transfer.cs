using System.Data.Common;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>The server dialect's answers to Transfer/ (see <see cref="PostgresTransferSql"/>).</summary>
internal sealed partial class PostgresDialect
{
    public ITransferSql Transfer { get; } = new PostgresTransferSql();

    public IReadOnlyList<string> ListColumns(DbConnection connection, DbTransaction? transaction, string table) =>
        ColumnListing.Read(connection, transaction,
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position",
            table);
}
