using Nexus.Core.Store;

namespace Nexus.Core.Engines;

/// <summary>An engine over a store's tables (records, attributes, chunks).</summary>
public interface IStoreEngine
{
    /// <summary>
    /// Where the engine reports what it does on its own, such as running a transaction again after
    /// a deadlock; called on the thread that does the work, which may be a pool thread.
    /// </summary>
    Action<string>? Log { get; set; }
}
