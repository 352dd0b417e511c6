using Nexus.Core.Migrations;

namespace Nexus.Core.Health;

/// <summary>One step of a migration rehearsal (Test-NexusMigration): how it went and what it would destroy.</summary>
public sealed class RehearsalStep
{
    /// <summary>The four-digit id.</summary>
    public required string Id { get; init; }

    /// <summary>The short name from the file name.</summary>
    public required string Name { get; init; }

    /// <summary>Up (apply) or Down (revert).</summary>
    public MigrationDirection Direction { get; init; }

    /// <summary>The id and name as journaled, such as 0002_versions_protection_and_lookups.</summary>
    public string ScriptName => $"{Id}_{Name}";

    /// <summary>Succeeded, Failed, or NotRun (a step after a failed one).</summary>
    public RehearsalOutcome Outcome { get; internal set; } = RehearsalOutcome.NotRun;

    /// <summary>True when the step ran without error in the rehearsal.</summary>
    public bool Succeeded => Outcome == RehearsalOutcome.Succeeded;

    /// <summary>How long the step took in the rehearsal.</summary>
    public TimeSpan? Duration { get; internal set; }

    /// <summary>Rows the step's statements inserted, updated or deleted (DDL counts none).</summary>
    public long RowsTouched { get; internal set; }

    /// <summary>Down steps: the tables and columns the step drops, with the rows or non-null values they held.</summary>
    public IReadOnlyList<DestroyedData> Destroys { get; internal set; } = Array.Empty<DestroyedData>();

    /// <summary>Down steps: rows of dropped tables plus non-null values of dropped columns.</summary>
    public long DestroyedValues => Destroys.Sum(d => d.Rows);

    /// <summary>Why the step failed, naming the statement.</summary>
    public string? Error { get; internal set; }

    /// <summary>The store rehearsed (its display name).</summary>
    public string? Store { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{ScriptName} ({Direction.ToString().ToLowerInvariant()}): {Outcome}";
}

/// <summary>How a rehearsed step went.</summary>
public enum RehearsalOutcome
{
    NotRun,
    Succeeded,
    Failed,
}

/// <summary>A table or column that a step drops (or rows it deletes), and how many rows or non-null values that was.</summary>
public sealed class DestroyedData
{
    /// <summary>Table (dropped), Column (dropped) or Rows (deleted from a table that stays).</summary>
    public required DestroyedKind Kind { get; init; }

    public required string Table { get; init; }

    public string? Column { get; init; }

    /// <summary>Rows of a dropped table, or non-null values of a dropped column.</summary>
    public long Rows { get; init; }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        DestroyedKind.Table => $"table {Table} ({Rows} rows)",
        DestroyedKind.Column => $"column {Table}.{Column} ({Rows} values)",
        _ => $"{Rows} rows deleted from {Table}",
    };
}

/// <summary>What a step destroys.</summary>
public enum DestroyedKind
{
    Table,
    Column,
    Rows,
}
