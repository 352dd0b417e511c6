using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// The database's pieces of a layout conversion (Layouts/LayoutConversion): the new tables are
/// built in a work schema beside the store's own (with the staging part's schema and lock
/// helpers), rows are copied server-side inside one transaction that blocks writers, and the
/// swap moves the new tables in and drops the old ones in that same transaction.
/// </summary>
internal interface ILayoutConversionSql
{
    /// <summary>Why this database cannot hold <paramref name="kind"/> now (for example: no citus extension), or null when it can.</summary>
    string? WhyNotAvailable(DbConnection connection, StoreLayoutKind kind);

    /// <summary>
    /// Drops the secondary indexes (those no constraint uses) and the foreign keys of
    /// <paramref name="tables"/> in <paramref name="work"/> and returns the statements that make
    /// them again, with the same names and definitions: an index built once over the copied rows,
    /// and a foreign key checked once by one join, are much faster than kept up row by row.
    /// </summary>
    IReadOnlyList<string> StripForLoad(DbConnection connection, string work, IReadOnlyList<string> tables);

    /// <summary>Prepares the conversion's transaction (time limits; on Citus, one connection per node so DDL may follow the copy).</summary>
    void BeginConversion(DbConnection connection, DbTransaction transaction);

    /// <summary>Takes a lock on the store's three tables in <paramref name="home"/> that blocks writers and lets readers go on, until the transaction ends.</summary>
    void BlockWriters(DbConnection connection, DbTransaction transaction, string home, IReadOnlyList<string> tables);

    /// <summary>
    /// Copies every row of <paramref name="table"/> from <paramref name="from"/> into the (empty)
    /// table of the same name in <paramref name="to"/>, server-side, and returns the rows copied.
    /// <paramref name="columns"/> are the plain (canonical) columns; file_metadata's tenant_id,
    /// when <paramref name="toKeyed"/>, comes from its file_paths row (or the source's own column
    /// when <paramref name="fromKeyed"/>), and is left behind going to plain.
    /// </summary>
    long CopyRows(DbConnection connection, DbTransaction transaction, string from, string to, string table, IReadOnlyList<string> columns, bool fromKeyed, bool toKeyed, CancellationToken cancel);

    /// <summary>Makes <paramref name="schema"/> the only schema unqualified names resolve in, until the transaction ends.</summary>
    void UseSchema(DbConnection connection, DbTransaction transaction, string schema);

    /// <summary>
    /// In the conversion's transaction: drops <paramref name="tables"/> of <paramref name="home"/>
    /// (their partitions with them), moves those of <paramref name="work"/> and their partitions
    /// into <paramref name="home"/>, records <paramref name="layout"/> in the comment on
    /// file_paths and drops <paramref name="work"/> with what is left in it.
    /// </summary>
    void Swap(DbConnection connection, DbTransaction transaction, string home, string work, IReadOnlyList<string> tables, StoreLayout layout);
}
