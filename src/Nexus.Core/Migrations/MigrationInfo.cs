namespace Nexus.Core.Migrations;

/// <summary>One row of Get-NexusMigration: a migration and where it stands in one store.</summary>
public sealed class MigrationInfo
{
    /// <summary>The four-digit id.</summary>
    public required string Id { get; init; }

    /// <summary>The short name from the file name.</summary>
    public required string Name { get; init; }

    /// <summary>What the migration does.</summary>
    public string? Description { get; init; }

    /// <summary>Pending, Applied, or Unknown (journaled but not in this module).</summary>
    public MigrationState State { get; init; }

    /// <summary>When it was applied (UTC), if it was.</summary>
    public DateTime? AppliedAt { get; init; }

    /// <summary>
    /// For applied migrations: whether the module's script still has the journaled checksum
    /// (false means drift). Null for pending or unknown ones.
    /// </summary>
    public bool? ChecksumMatches { get; init; }

    /// <summary>Whether a down script exists (in the journal for applied ones, in the module otherwise).</summary>
    public bool HasDownScript { get; init; }

    /// <summary>
    /// For a journaled down script: whether it still has the checksum journaled beside it (Ok,
    /// Mismatch, Missing or Malformed; anything but Ok means it was changed and will not run
    /// without -Force). Null when there is no journaled down script (pending migrations).
    /// </summary>
    public ChecksumState? DownChecksum { get; init; }

    /// <summary>The checksum recorded in the journal (applied) or computed from the module (pending).</summary>
    public string? Checksum { get; init; }

    /// <summary>The store the status was read from (its display name).</summary>
    public string? Store { get; init; }
}
