namespace Nexus.Core.Migrations;

/// <summary>How <see cref="MigrationRunner.MigrateTo(string, MigrationOptions)"/> behaves.</summary>
public sealed record MigrationOptions
{
    /// <summary>The defaults: no force, no adoption, a minute's wait for the lock, no backup.</summary>
    public static MigrationOptions Default { get; } = new();

    /// <summary>Run even though the journal shows drift (changed or unknown migrations).</summary>
    public bool Force { get; init; }

    /// <summary>Bring a store made by the original Nexus under this module's journal first.</summary>
    public bool Adopt { get; init; }

    /// <summary>
    /// Let down steps destroy data (drop tables or columns that hold rows or values). Without it a
    /// run whose down steps would destroy anything refuses before it changes anything.
    /// </summary>
    public bool AllowDataLoss { get; init; }

    /// <summary>
    /// PostgreSQL adoption: keep file_metadata.value as the original's JSON text instead of converting
    /// it to jsonb, so the original system (which reads it with json.loads) keeps working beside the module.
    /// </summary>
    public bool KeepOriginalTypes { get; init; }

    /// <summary>Adoption: what to do with NaN, Infinity and -Infinity in the original's attribute values.</summary>
    public NonFiniteNumbers NonFiniteNumbers { get; init; } = NonFiniteNumbers.Refuse;

    /// <summary>How long to wait for another process's migration lock before failing.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>SQLite: copy the file (VACUUM INTO) next to it before changing anything.</summary>
    public bool Backup { get; init; }

    /// <summary>With <see cref="Backup"/>: what makes the copy.</summary>
    public BackupCopier? BackupCopier { get; init; }

    /// <summary>Called before each step with its position (1-based) and the plan's length.</summary>
    public Action<MigrationStep, int, int>? StepStarting { get; init; }

    /// <summary>Stops between steps (Ctrl+C); a step that started is finished or rolled back whole.</summary>
    public CancellationToken Cancellation { get; init; }
}
