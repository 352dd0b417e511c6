using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nexus.Core.Transfer;

/// <summary>
/// One text per JSON value, whichever database it came from: object members sorted by name
/// (ordinal), a repeated member keeps its last value (as jsonb does), no whitespace, numbers in
/// PostgreSQL numeric form (no exponent, scale kept: 1.50 stays 1.50, 1e2 becomes 100), strings
/// re-escaped one fixed way. So SQLite's stored text and jsonb's output compare equal.
/// Text that cannot live in both databases (not JSON, or a string holding U+0000, which jsonb
/// refuses) is rejected.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 256,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>The canonical text of a JSON document, or false with the reason it is not one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryCanonicalize(string text, out string canonical, out string? error)
    {
        canonical = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(text, ReaderOptions);
            var buffer = _buffer ??= new ArrayBufferWriter<byte>(256);
            buffer.ResetWrittenCount();
            var writer = _writer ??= new Utf8JsonWriter(buffer, WriterOptions);
            writer.Reset(buffer);
            Write(writer, document.RootElement);
            writer.Flush();

            canonical = Encoding.UTF8.GetString(buffer.WrittenSpan);
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            error = "not valid JSON: " + e.Message;
            return false;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, element);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(CheckedString(element.GetString()!));
                break;
            case JsonValueKind.Number:
                // An integer (no fraction, no exponent) in the Int64 range prints as itself.
                if (element.TryGetInt64(out var integer))
                {
                    writer.WriteNumberValue(integer);
                }
                else
                {
                    writer.WriteRawValue(CanonicalNumber(element.GetRawText()), skipInputValidation: true);
                }

                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>
    /// Members in ordinal order by name; of a repeated name the last member wins, as in jsonb.
    /// Most objects arrive sorted already (both databases' own JSON writers sort or keep the order
    /// this module wrote), so they are written as they come.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteObject(Utf8JsonWriter writer, JsonElement element)
    {
        var members = new List<KeyValuePair<string, JsonElement>>();
        var sorted = true;
        foreach (var property in element.EnumerateObject())
        {
            var name = CheckedString(property.Name);
            if (members.Count > 0 && string.CompareOrdinal(members[^1].Key, name) >= 0)
            {
                sorted = false;
            }

            members.Add(new(name, property.Value));
        }

        if (!sorted)
        {
            // A stable sort keeps repeated names in document order, so the last one is last.
            members = members.OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        }

        writer.WriteStartObject();
        for (var i = 0; i < members.Count; i++)
        {
            if (i + 1 < members.Count && string.Equals(members[i].Key, members[i + 1].Key, StringComparison.Ordinal))
            {
                continue;
            }

            writer.WritePropertyName(members[i].Key);
            Write(writer, members[i].Value);
        }

        writer.WriteEndObject();
    }

    private static string CheckedString(string value)
    {
        if (value.Contains('\0'))
        {
            throw new FormatException("a string holds the character U+0000, which PostgreSQL jsonb cannot store");
        }

        return value;
    }

    /// <summary>A JSON number as PostgreSQL numeric prints it: plain digits, scale kept, no exponent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static string CanonicalNumber(string raw)
    {
        var negative = raw[0] == '-';
        var i = negative ? 1 : 0;
        var digits = new StringBuilder(raw.Length + 8);
        var scale = 0;
        var inFraction = false;
        var exponent = 0;
        for (; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '.')
            {
                inFraction = true;
            }
            else if (c is 'e' or 'E')
            {
                exponent = int.Parse(raw.AsSpan(i + 1), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits.Append(c);
                if (inFraction)
                {
                    scale++;
                }
            }
        }

        scale -= exponent;
        if (scale < 0)
        {
            digits.Append('0', -scale);
            scale = 0;
        }

        if (digits.Length <= scale)
        {
            digits.Insert(0, "0", scale - digits.Length + 1);
        }

        var integerPart = digits.ToString(0, digits.Length - scale).TrimStart('0');
        if (integerPart.Length == 0)
        {
            integerPart = "0";
        }

        var fraction = digits.ToString(digits.Length - scale, scale);
        var isZero = integerPart == "0" && fraction.All(ch => ch == '0');
        var text = scale > 0 ? integerPart + "." + fraction : integerPart;
        return negative && !isZero ? "-" + text : text;
    }
}
