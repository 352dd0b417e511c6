using Nexus.Core.Migrations;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// NaN, Infinity and -Infinity in the attribute values a copy or import reads. The original
/// system wrote them (Python's json.dumps does) and a store adopted from it, or one whose values
/// are JSON text, can still hold them; JSON has no such numbers, so no destination can store them
/// as they are. <see cref="Find"/> names each before anything is written (with
/// <see cref="NonFiniteNumbers.Refuse"/> the transfer stops there); with
/// <see cref="NonFiniteNumbers.AsString"/> <see cref="Quote"/> spells each as the JSON string
/// "NaN", "Infinity" or "-Infinity" as the row is loaded, as adoption does.
/// </summary>
internal static class NonFiniteAttributes
{
    /// <summary>One attribute value that holds <paramref name="Count"/> non-finite numbers.</summary>
    public sealed record Found(string Tenant, string Path, string Key, int Count)
    {
        /// <summary>'/n/a' (tenant 't') key 'k1', as adoption names them.</summary>
        public string Where => $"{OriginalStoreAdopter.PowerShellQuote(Path)} (tenant '{Tenant}') key '{Key}'";
    }

    /// <summary>
    /// The value with its non-finite numbers quoted, and how many there were; (the value, 0) when
    /// it holds none, or when it is not JSON even with them quoted (then it is invalid for another
    /// reason, which the row conversion reports).
    /// </summary>
    public static (string Text, int Count) Quote(string value)
    {
        // Cheap test first: nearly every value has neither word.
        if (!value.Contains("NaN", StringComparison.Ordinal) && !value.Contains("Infinity", StringComparison.Ordinal))
        {
            return (value, 0);
        }

        var (quoted, count) = NonFiniteJson.Quote(value);
        return count > 0 && CanonicalJson.TryCanonicalize(quoted, out _, out _) ? (quoted, count) : (value, 0);
    }

    /// <summary>
    /// Reads the source's file_metadata once (a database source hands over only the rows that may
    /// hold them; and, only when something is found, file_paths for the paths and tenants) and
    /// returns every value holding non-finite numbers, in path order.
    /// </summary>
    public static IReadOnlyList<Found> Find(ITableSource source, CancellationToken cancel)
    {
        var metadata = source.Columns(TransferTable.FileMetadata);
        int pathId = IndexOf(metadata, "path_id"), key = IndexOf(metadata, "key"), value = IndexOf(metadata, "value");
        var hits = new List<(string PathId, string Key, int Count)>();
        foreach (var row in source.ReadNonFiniteCandidates(TransferTable.FileMetadata, metadata, metadata[value], cancel))
        {
            if (row[value] is string json && Quote(json) is { Count: > 0 } quoted)
            {
                hits.Add((IdText(row[pathId]), Convert.ToString(row[key]) ?? string.Empty, quoted.Count));
            }
        }

        if (hits.Count == 0)
        {
            return [];
        }

        var paths = source.Columns(TransferTable.FilePaths);
        int id = IndexOf(paths, "path_id"), tenant = IndexOf(paths, "tenant_id"), path = IndexOf(paths, "virtual_path");
        var wanted = hits.Select(h => h.PathId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var named = new Dictionary<string, (string Tenant, string Path)>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in source.Read(TransferTable.FilePaths, paths, cancel))
        {
            if (wanted.Contains(IdText(row[id])))
            {
                named[IdText(row[id])] = (Convert.ToString(row[tenant]) ?? string.Empty, Convert.ToString(row[path]) ?? string.Empty);
            }
        }

        return hits
            .Select(h => named.TryGetValue(h.PathId, out var n)
                ? new Found(n.Tenant, n.Path, h.Key, h.Count)
                : new Found("?", $"(no file record; path_id {h.PathId})", h.Key, h.Count))
            .OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Tenant, StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The refusal under <see cref="NonFiniteNumbers.Refuse"/>, naming every value.</summary>
    public static NexusException Refusal(IReadOnlyList<Found> found, string source, string destination) =>
        new(NexusErrorKind.InvalidData,
            $"{found.Count} attribute value(s) in {source} hold NaN, Infinity or -Infinity, which JSON cannot hold, so nothing was written to {destination}: {string.Join("; ", found.Select(f => f.Where))}. "
            + "Run again with -NonFiniteNumbers AsString to store each as the JSON string \"NaN\", \"Infinity\" or \"-Infinity\" (each is reported), with -SkipInvalid to set those rows aside, or correct those values first.",
            source);

    /// <summary>The warning under <see cref="NonFiniteNumbers.AsString"/> for one value.</summary>
    public static string Note(Found found) =>
        $"Attribute '{found.Key}' of {OriginalStoreAdopter.PowerShellQuote(found.Path)} (tenant '{found.Tenant}') held {found.Count} NaN/Infinity/-Infinity number(s); stored as JSON strings (-NonFiniteNumbers AsString).";

    private static int IndexOf(IReadOnlyList<TransferColumn> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The transfer source has no column {name}.");
    }

    // SQLite hands ids back as text, PostgreSQL as Guid.
    private static string IdText(object? id) => id is Guid guid ? guid.ToString("D") : Convert.ToString(id) ?? string.Empty;
}
