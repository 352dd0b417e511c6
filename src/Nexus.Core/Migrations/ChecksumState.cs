namespace Nexus.Core.Migrations;

/// <summary>How a script journaled in a store compares with the checksum journaled beside it.</summary>
public enum ChecksumState
{
    /// <summary>The script's SHA-256 is the journaled one.</summary>
    Ok,

    /// <summary>The script was changed after it was journaled.</summary>
    Mismatch,

    /// <summary>The journal holds the script but no checksum for it.</summary>
    Missing,

    /// <summary>The journaled checksum is not a SHA-256 (64 hex digits), so nothing can be verified.</summary>
    Malformed,
}
