namespace Nexus.Core.Store;

/// <summary>
/// One file's record: where it lives (backend, physical path), what it is (size, content hash,
/// MIME type) and its history (created, modified, version, soft delete). Timestamps are UTC.
/// </summary>
public sealed class FileRecord
{
    /// <summary>The tenant that owns the path.</summary>
    public string Tenant { get; set; } = Tenants.Default;

    /// <summary>The virtual path, such as /docs/report.pdf.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The storage backend that holds the bytes.</summary>
    public string BackendName { get; set; } = string.Empty;

    /// <summary>Where the backend keeps the bytes.</summary>
    public string PhysicalPath { get; set; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>The content hash (at most 64 characters), or null.</summary>
    public string? ETag { get; set; }

    /// <summary>The MIME type, or null.</summary>
    public string? MimeType { get; set; }

    /// <summary>When the record was first stored (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the record was last changed (UTC).</summary>
    public DateTime ModifiedAt { get; set; }

    /// <summary>1 when stored, one more on every update.</summary>
    public int Version { get; set; }

    /// <summary>When the record was soft-deleted (UTC), or null while it is live.</summary>
    public DateTime? DeletedAt { get; set; }

    /// <inheritdoc />
    public override string ToString() => Path;
}
