namespace Nexus.Core.Store;

/// <summary>
/// A content-addressed chunk: its hash, size, where its bytes are, and how many files refer to it.
/// A chunk with RefCount 0 is garbage unless ProtectedUntil is still in the future.
/// </summary>
public sealed class ChunkRecord
{
    /// <summary>The content hash that names the chunk (at most 64 characters).</summary>
    public string ContentHash { get; set; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>Where the chunk's bytes are stored.</summary>
    public string StoragePath { get; set; } = string.Empty;

    /// <summary>How many references the chunk has.</summary>
    public int RefCount { get; set; }

    /// <summary>When the chunk was first added (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When a reference was last added (UTC), or null.</summary>
    public DateTime? LastAccessedAt { get; set; }

    /// <summary>Garbage collection leaves the chunk alone until this time (UTC), or null.</summary>
    public DateTime? ProtectedUntil { get; set; }

    /// <inheritdoc />
    public override string ToString() => ContentHash;
}
