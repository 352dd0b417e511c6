namespace Nexus.Core.Transfer;

/// <summary>What Backup-NexusStore made: the file, and what it found when it opened and checked it.</summary>
public sealed class StoreBackupResult
{
    /// <summary>The store that was backed up.</summary>
    public required string Store { get; init; }

    /// <summary>The backup file (full path).</summary>
    public required string Path { get; init; }

    /// <summary>The backup file's size in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>The schema revision recorded in the backup.</summary>
    public string? SchemaRevision { get; init; }

    /// <summary>Rows in file_paths in the backup.</summary>
    public long FilePaths { get; init; }

    /// <summary>Rows in file_metadata in the backup.</summary>
    public long FileMetadata { get; init; }

    /// <summary>Rows in content_chunks in the backup.</summary>
    public long ContentChunks { get; init; }

    /// <summary>"ok" when PRAGMA integrity_check and foreign_key_check found nothing wrong.</summary>
    public required string IntegrityCheck { get; init; }

    /// <summary>Partial files of earlier backups that did not finish (killed, disk full), removed by this run.</summary>
    public IReadOnlyList<string> RemovedLeftovers { get; init; } = [];

    /// <summary>How long the backup and its check took.</summary>
    public TimeSpan Duration { get; init; }
}
