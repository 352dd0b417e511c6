using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>What export, import and copy (Transfer/) ask of a database, and the column listing they share with migrations.</summary>
internal partial interface ISqlDialect
{
    /// <summary>The transfer part: snapshot reads, bulk writes, JSON as text, file backups.</summary>
    ITransferSql Transfer { get; }

    /// <summary>The column names of a table in the store's schema, in table order (none when it is missing).</summary>
    IReadOnlyList<string> ListColumns(DbConnection connection, DbTransaction? transaction, string table);
}
