using System.Globalization;
using System.Text.Json;

namespace Nexus.Core.Dialects.Sqlite;

/// <summary>
/// How SQLite finds attribute values by index (migration 0003): the rows whose text is a short
/// canonical scalar are in idx_file_metadata_key_scalar on (key, value), all others in
/// idx_file_metadata_key_other on key.
/// </summary>
internal static class AttributeLookup
{
    /// <summary>
    /// True for a row in idx_file_metadata_key_scalar. This must stay the exact text of the
    /// indexes' WHERE clauses in 0003_attribute_value_lookup.up.sql: SQLite uses a partial index
    /// only for a query that repeats its condition.
    /// </summary>
    public const string Scalar =
        "CASE WHEN length(value) <= 512 AND json_valid(value) THEN value IN ('true', 'false', 'null') OR (json_type(value) IN ('text', 'integer') AND value = json_quote(json_extract(value, '$'))) ELSE 0 END";

    /// <summary>
    /// The scalar a canonical row must equal to contain the JSON <paramref name="json"/>: Quote
    /// with the string itself (SQL json_quote makes its canonical text), or the canonical text of
    /// an integer (1.0 and 1e0 are the integer 1, as jsonb compares numbers), true, false or null.
    /// Null when no canonical scalar row can contain it: an object, an array, a number that is no
    /// 64-bit integer (only decimal rows, which are never canonical, can equal it).
    /// </summary>
    public static (bool Quote, string Text)? CanonicalScalar(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        switch (root.ValueKind)
        {
            case JsonValueKind.String:
                return (true, root.GetString()!);
            case JsonValueKind.True:
                return (false, "true");
            case JsonValueKind.False:
                return (false, "false");
            case JsonValueKind.Null:
                return (false, "null");
            case JsonValueKind.Number when root.TryGetDecimal(out var number) && number == decimal.Truncate(number)
                && number >= long.MinValue && number <= long.MaxValue:
                return (false, ((long)number).ToString(CultureInfo.InvariantCulture));
            default:
                return null;
        }
    }
}
