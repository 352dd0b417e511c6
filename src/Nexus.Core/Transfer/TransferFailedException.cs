using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// A transfer that loaded every table but did not commit (verification failed): the per-table
/// results say what was read, written and read back. <see cref="NexusException.Target"/> is the
/// first table that did not match.
/// </summary>
public sealed class TransferFailedException : NexusException
{
    public TransferFailedException(NexusErrorKind kind, string message, IReadOnlyList<TableTransferResult> results, string? hint = null)
        : base(kind, message, results.FirstOrDefault(r => !r.Match)?.Table, hint: hint)
    {
        Results = results;
    }

    /// <summary>One result per table, in transfer order; none of them was committed.</summary>
    public IReadOnlyList<TableTransferResult> Results { get; }
}
