namespace Nexus.Core.Transfer;

/// <summary>
/// A sink that reads each table back itself, as soon as the table is loaded and alongside the
/// other tables' loads and index builds, instead of after the whole load
/// (<see cref="StagingSink"/>). Asked once every table is loaded.
/// </summary>
internal interface IVerifiedSink
{
    /// <summary>The checksum of <paramref name="table"/> as the destination holds it.</summary>
    TableChecksum ReadBackChecksum(TransferTable table);
}
