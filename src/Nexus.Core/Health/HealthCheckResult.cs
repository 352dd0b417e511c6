using System.Collections.Specialized;
using Nexus.Core.Dialects;

namespace Nexus.Core.Health;

/// <summary>
/// What one check of Test-NexusStore found: its verdict, a sentence that says what it means and
/// what to do, and (where it helps) the offending rows: the first <see cref="MaxRows"/> of them,
/// with the full count in <see cref="RowCount"/>.
/// </summary>
public sealed class HealthCheckResult
{
    /// <summary>How many offending rows a result keeps.</summary>
    public const int MaxRows = RowSample.MaxRows;

    /// <summary>The check's name (Integrity, ForeignKeys, OrphanAttributes, ChunkReferences, JournalDrift, SchemaObjects, DeletedRecords).</summary>
    public required string Check { get; init; }

    /// <summary>Pass, Warn or Fail.</summary>
    public required HealthStatus Status { get; init; }

    /// <summary>What was found and, when it is not a Pass, what to do about it.</summary>
    public required string Details { get; init; }

    /// <summary>The first offending rows (column name to value, in column order); empty on a Pass.</summary>
    public IReadOnlyList<OrderedDictionary> Rows { get; init; } = Array.Empty<OrderedDictionary>();

    /// <summary>How many offending rows there are in all (Rows keeps at most 100).</summary>
    public long RowCount { get; init; }

    /// <summary>How long the check took.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>The store checked (its display name).</summary>
    public string? Store { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Check}: {Status}";
}
