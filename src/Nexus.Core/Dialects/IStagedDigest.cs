using System.Data.Common;

namespace Nexus.Core.Dialects;

/// <summary>
/// Verification where the data is: a digest of the rows written into a staging table, computed
/// on the client as the rows go out (<see cref="Add"/>) and by the server over what the table
/// holds (<see cref="MatchesServer"/>), so that nothing has to be read back. The two agree only
/// when the table holds exactly the rows written (same count, same values in every column of
/// every row, in any order). When they disagree the caller reads the table back and compares
/// its checksum: a disagreement may also mean only that the client's imitation of the server's
/// text or hash of some value differs (another server build), never that a bad copy passes.
/// </summary>
internal interface IStagedDigest
{
    /// <summary>Adds one canonical row as written (the values a <see cref="BulkSink"/> takes).</summary>
    void Add(object?[] row);

    /// <summary>
    /// Asks the server for the same digest over <paramref name="table"/> (seen by
    /// <paramref name="stagingConnection"/>); true when it equals the rows added. <paramref name="detail"/>
    /// says both sides (for the log).
    /// </summary>
    bool MatchesServer(DbConnection stagingConnection, string table, out string detail);
}
