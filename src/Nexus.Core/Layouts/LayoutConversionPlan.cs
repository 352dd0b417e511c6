using Nexus.Core.Store;

namespace Nexus.Core.Layouts;

/// <summary>What a conversion would do (Convert-NexusStore -WhatIf): from which layout to which, and the tables and rows it would rebuild.</summary>
public sealed class LayoutConversionPlan
{
    /// <summary>The store, as Get-NexusStore names it.</summary>
    public required string Store { get; init; }

    /// <summary>The layout the store has.</summary>
    public required StoreLayout Current { get; init; }

    /// <summary>The layout asked for.</summary>
    public required StoreLayout Target { get; init; }

    /// <summary>The rows of each table that would be copied, in copy order.</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> Rows { get; init; }

    /// <summary>False when the store has the target layout already.</summary>
    public bool IsNeeded => Current != Target;

    /// <summary>The plan in one sentence (what -WhatIf prints).</summary>
    public string Describe() =>
        !IsNeeded
            ? $"{Store} has the layout {Describe(Current)} already; nothing to do."
            : $"rebuild the tables of {Store} from the layout {Describe(Current)} to {Describe(Target)}: "
              + string.Join(", ", Rows.Select(r => $"{r.Key} ({r.Value} rows)"))
              + "; writers wait from the start of the copy to the swap, readers go on";

    private static string Describe(StoreLayout layout) => layout.Kind switch
    {
        StoreLayoutKind.Partitioned => $"partitioned ({layout.Partitions} partitions)",
        StoreLayoutKind.Distributed => $"distributed ({layout.Partitions} shards)",
        _ => "plain",
    };
}
