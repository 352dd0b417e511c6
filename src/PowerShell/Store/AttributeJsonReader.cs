using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nexus.PowerShell;

/// <summary>
/// Turns an attribute's JSON text back into PowerShell values: objects become [pscustomobject]s
/// with the same properties, arrays object[], integers long (BigInteger beyond Int64, as ConvertFrom-Json reads them),
/// other numbers double, and ISO-8601 UTC timestamps (as <see cref="AttributeJsonWriter"/> writes
/// them) DateTime in UTC, unless <see cref="AttributeDateKind.String"/> keeps every string as written.
/// </summary>
internal static partial class AttributeJsonReader
{
    public static object? FromJson(string json, AttributeDateKind dateKind = AttributeDateKind.DateTime)
    {
        using var document = JsonDocument.Parse(json);
        return Convert(document.RootElement, dateKind == AttributeDateKind.DateTime);
    }

    private static object? Convert(JsonElement element, bool dates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (var member in element.EnumerateObject())
                {
                    var existing = result.Properties[member.Name];
                    if (existing is not null)
                    {
                        result.Properties.Remove(member.Name); // duplicate keys: the last wins, as in jsonb
                    }

                    result.Properties.Add(new PSNoteProperty(member.Name, Convert(member.Value, dates)));
                }

                return result;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(item => Convert(item, dates)).ToArray();
            case JsonValueKind.String:
                var text = element.GetString()!;
                return dates && IsoUtc().IsMatch(text)
                    ? DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
                    : text;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) < 0)
                {
                    if (element.TryGetInt64(out var integer))
                    {
                        return integer;
                    }

                    // Beyond Int64, as ConvertFrom-Json does: every digit kept, however many.
                    return BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                }

                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoUtc();
}
