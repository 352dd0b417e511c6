using Nexus.Core.Migrations;

namespace Nexus.Core.Transfer;

/// <summary>How a copy, export or import runs.</summary>
public sealed class TransferOptions
{
    /// <summary>What to do with a destination that holds rows.</summary>
    public TransferMode Mode { get; init; } = TransferMode.EmptyOnly;

    /// <summary>Set invalid rows aside in the reject file instead of stopping.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>
    /// Copy and import: what to do with NaN, Infinity and -Infinity in attribute values (refuse
    /// before writing, naming each; or store each as a JSON string, reporting each).
    /// </summary>
    public NonFiniteNumbers NonFiniteNumbers { get; init; } = NonFiniteNumbers.Refuse;

    /// <summary>The reject file (NDJSON), created only when a row is skipped; default <see cref="DefaultRejectPath"/>.</summary>
    public string? RejectPath { get; init; }

    /// <summary>The default reject file: nexus-rejects-&lt;UTC time&gt;.ndjson in <paramref name="folder"/>.</summary>
    public static string DefaultRejectPath(string folder) =>
        Path.Combine(folder, $"nexus-rejects-{DateTime.UtcNow:yyyyMMdd-HHmmss}.ndjson");

    /// <summary>The default of <see cref="BatchSize"/> (and of the cmdlets' -BatchSize).</summary>
    public const int DefaultBatchSize = 5000;

    /// <summary>Rows handed from the reading thread to the writing thread at a time.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Export: gzip the table files.</summary>
    public bool Compress { get; init; }

    /// <summary>Export: replace a finished export in the folder.</summary>
    public bool Overwrite { get; init; }

    /// <summary>The module version written into export manifests.</summary>
    public string ModuleVersion { get; init; } = typeof(TransferOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
