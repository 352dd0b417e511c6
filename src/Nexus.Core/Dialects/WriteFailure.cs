namespace Nexus.Core.Dialects;

/// <summary>What a failed store call means for trying it again.</summary>
internal enum WriteFailure
{
    /// <summary>Anything else: reported as it is.</summary>
    Other,

    /// <summary>
    /// The server ended the transaction to break a deadlock or a serialization conflict: it rolled
    /// back as a whole, so running it again is safe.
    /// </summary>
    Conflict,

    /// <summary>
    /// The connection was dead (server restarted, connection dropped); not a timeout. Safe to run
    /// again on a new connection only if COMMIT had not been sent.
    /// </summary>
    BrokenConnection,

    /// <summary>
    /// The server did not answer in time (hung, or the network is cut). Not retried: that would
    /// only double the wait; and if COMMIT was under way, its outcome is unknown.
    /// </summary>
    NoAnswer,

    /// <summary>
    /// A statement did not fit the store's tables (no unique constraint for its ON CONFLICT, or a
    /// column that is not there), as when another session converted the store's layout since this
    /// one read it. Run again once, with the statements of the layout read afresh, if it changed.
    /// </summary>
    LayoutChanged,
}
