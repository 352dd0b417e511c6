namespace Nexus.Core.Transfer;

/// <summary>
/// A sink that verifies each table itself, as soon as the table is loaded and alongside the
/// other tables' loads and index builds, instead of reading it back after the whole load
/// (<see cref="StagingSink"/>). Asked once every table is loaded.
/// </summary>
internal interface IVerifiedSink
{
    /// <summary>
    /// The checksum of <paramref name="table"/> as the destination holds it: <paramref name="written"/>
    /// when the sink proved the table holds exactly the rows written, else the checksum of the rows read back.
    /// </summary>
    TableChecksum ReadBackChecksum(TransferTable table, TableChecksum written);
}
