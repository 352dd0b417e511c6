namespace Nexus.Core.Migrations;

/// <summary>One step of a migration plan (or of a run, once it is done): a migration and its direction.</summary>
public sealed class MigrationStep
{
    /// <summary>The four-digit id.</summary>
    public required string Id { get; init; }

    /// <summary>The short name from the file name.</summary>
    public required string Name { get; init; }

    /// <summary>What the migration does.</summary>
    public string? Description { get; init; }

    /// <summary>Up (apply) or Down (revert).</summary>
    public MigrationDirection Direction { get; init; }

    /// <summary>The store the step runs on (its display name).</summary>
    public string? Store { get; init; }

    /// <summary>How long the step took; null while it is only planned.</summary>
    public TimeSpan? Duration { get; internal set; }

    /// <summary>When the step finished (UTC); null while it is only planned.</summary>
    public DateTime? CompletedAt { get; internal set; }

    /// <summary>The SQLite backup taken before the run (-Backup), if any.</summary>
    public string? BackupPath { get; internal set; }

    /// <summary>What the operator should know about this step (adoption: paths the module's -Path cannot name, with the command that normalizes each).</summary>
    public IReadOnlyList<string> Notes { get; internal set; } = Array.Empty<string>();

    /// <summary>The id and name as journaled, such as 0002_versions_protection_and_lookups.</summary>
    public string ScriptName => $"{Id}_{Name}";

    /// <summary>The SQL the step runs: the catalog's up script, or the journal's down script.</summary>
    internal string Script { get; init; } = string.Empty;

    /// <summary>
    /// For a down step: what it destroys (rows per dropped or emptied table, non-null values per
    /// dropped column), counted when it was planned. Empty when it destroys nothing.
    /// </summary>
    public IReadOnlyList<DataLoss> Destroys { get; internal set; } = Array.Empty<DataLoss>();

    /// <summary>True when the step destroys data (see <see cref="Destroys"/>).</summary>
    public bool DestroysData => Destroys.Count > 0;

    /// <summary>True for the step that adopts a store made by the original Nexus as the first migration.</summary>
    public bool IsAdoption { get; init; }

    /// <summary>The catalog migration for an up step (its journal row is written from it).</summary>
    internal Migration? Migration { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{ScriptName} ({Direction.ToString().ToLowerInvariant()})";
}
