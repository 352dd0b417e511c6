using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// The small pieces that export, import, copy and backup (Transfer/) need to differ between
/// SQLite and PostgreSQL. The algorithms (one snapshot, checksums, rejects, partial files) stay in
/// Transfer/ and are written once.
/// </summary>
internal interface ITransferSql
{
    /// <summary>Begins a read-only transaction that sees one consistent snapshot of every table.</summary>
    DbTransaction BeginSnapshotRead(DbConnection connection);

    /// <summary>The select-list item that reads a JSON column as its text.</summary>
    string JsonAsText(string column);

    /// <summary>
    /// A condition that keeps every row whose JSON <paramref name="column"/> may hold NaN,
    /// Infinity or -Infinity (more rows, never fewer; the caller checks each), so that the scan
    /// for them runs in the database and only candidates are read.
    /// </summary>
    string NonFiniteCandidates(string column);

    /// <summary>
    /// Begins the one write transaction of a load into <paramref name="connection"/>'s store and
    /// returns what writes the rows (typed parameters, and a bulk path where the provider has one).
    /// </summary>
    BulkSink OpenBulkSink(DbConnection connection);

    /// <summary>How a store kept in one file is copied while in use; null when the provider is a server.</summary>
    IFileBackup? FileBackup { get; }
}
