using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// Turns a PowerShell value into the JSON text of an attribute: strings, integers (full Int64 and
/// UInt64 range), doubles (finite only), booleans, $null, arrays and lists, hashtables and other
/// dictionaries, [pscustomobject]s, DateTime/DateTimeOffset (ISO-8601 UTC), Guid, char and enum
/// values (as strings). Anything else, NaN/Infinity, a NUL character (PostgreSQL's jsonb cannot
/// hold one), keys that differ only by case, nesting deeper than 64, or more than 1 MiB of JSON is
/// an InvalidArgument error, and nothing is stored.
/// </summary>
internal static class AttributeJsonWriter
{
    private const int MaxDepth = 64;

    /// <summary>
    /// The attributes a hashtable names (Set-NexusAttribute -Attributes, Get-NexusMetadata
    /// -Attribute): each key as <see cref="KeyText"/> reads it, validated; each value as JSON text.
    /// One conversion, so both cmdlets name the same attribute for the same hashtable.
    /// </summary>
    public static List<KeyValuePair<string, string>> ToAttributes(IDictionary attributes)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in attributes)
        {
            var key = AttributeRules.ValidateKey(KeyText(entry.Key));
            pairs.Add(new(key, ToJson(key, entry.Value)));
        }

        return pairs;
    }

    /// <summary>
    /// The text of a hashtable key. PowerShell hands a [pscustomobject] key over still wrapped (a
    /// PSObject, whose own ToString is "@{Name=…}" while the object it wraps reads as ""): a key
    /// that is no single value is refused, never stored or searched for under either text.
    /// </summary>
    public static string KeyText(object? key)
    {
        var value = key is PSObject wrapped ? wrapped.BaseObject : key;
        if (value is null or PSCustomObject or IDictionary || value is IEnumerable and not string)
        {
            var type = value is null ? "null" : value is PSCustomObject ? "[pscustomobject]" : value.GetType().FullName;
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"An attribute key is text, but a hashtable key is a {type}. Give the key's text, as in @{{ owner = 'ann' }}.", key);
        }

        return Convert.ToString(value, CultureInfo.InvariantCulture)!;
    }

    /// <summary>The JSON text of <paramref name="value"/> for attribute <paramref name="key"/>.</summary>
    public static string ToJson(string key, object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, key, value, 0);
        }

        var json = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        AttributeRules.CheckValueSize(key, json);
        return json;
    }

    private static void Write(Utf8JsonWriter writer, string key, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Refuse(key, $"is nested more than {MaxDepth} levels deep (or refers to itself)");
        }

        if (writer.BytesPending > AttributeRules.MaxValueBytes)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The value of attribute '{key}' is more than the limit of {AttributeRules.MaxValueBytes:N0} bytes (1 MiB) as JSON.",
                key, hint: "Store large content as a file or chunk and keep a reference in the attribute.");
        }

        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is PSCustomObject)
            {
                WriteObject(writer, key, wrapped.Properties.Where(p => p.IsGettable).Select(p => (p.Name, Value: SafeValue(p))), depth);
                return;
            }

            value = wrapped.BaseObject;
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string text:
                WriteString(writer, key, text);
                return;
            case char c:
                WriteString(writer, key, c.ToString());
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                return;
            case float single:
                WriteDouble(writer, key, single);
                return;
            case double number:
                WriteDouble(writer, key, number);
                return;
            case decimal exact:
                writer.WriteNumberValue(exact);
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                return;
            case DateTime time:
                writer.WriteStringValue(FormatTime(time));
                return;
            case DateTimeOffset offset:
                writer.WriteStringValue(FormatTime(offset.UtcDateTime));
                return;
            case Guid guid:
                writer.WriteStringValue(guid.ToString());
                return;
            case Enum member:
                writer.WriteStringValue(member.ToString());
                return;
            case IDictionary dictionary:
                var members = new List<(string, object?)>();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var name = entry.Key is PSObject boxed ? boxed.BaseObject : entry.Key;
                    if (name is not (string or char or Enum or Guid) && !IsInteger(name))
                    {
                        throw Refuse(key, $"has a dictionary key of type {name?.GetType().FullName ?? "null"}; keys must be strings");
                    }

                    members.Add((Convert.ToString(name, CultureInfo.InvariantCulture)!, entry.Value));
                }

                WriteObject(writer, key, members, depth);
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(writer, key, item, depth + 1);
                }

                writer.WriteEndArray();
                return;
            case ScriptBlock:
                throw Refuse(key, "is a script block");
            default:
                throw Refuse(key, $"is a {value.GetType().FullName}, which has no JSON form here");
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, string key, IEnumerable<(string Name, object? Value)> members, int depth)
    {
        // PostgreSQL's jsonb keeps object keys sorted (shorter first, then byte order); writing them
        // in that order gives the same objects back from both databases.
        var ordered = members.ToList();
        ordered.Sort((a, b) => CompareJsonbKeys(a.Name, b.Name));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        writer.WriteStartObject();
        foreach (var (name, member) in ordered)
        {
            if (!seen.Add(name))
            {
                throw Refuse(key, $"has two properties named '{name}' that differ only by case, which a PowerShell object cannot hold");
            }

            CheckText(key, name);
            writer.WritePropertyName(name);
            Write(writer, key, member, depth + 1);
        }

        writer.WriteEndObject();
    }

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (GetValueException e)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"The property '{property.Name}' could not be read: {e.Message}", property.Name, e);
        }
    }

    private static int CompareJsonbKeys(string a, string b)
    {
        var byLength = Encoding.UTF8.GetByteCount(a).CompareTo(Encoding.UTF8.GetByteCount(b));
        return byLength != 0 ? byLength : Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
    }

    private static void WriteString(Utf8JsonWriter writer, string key, string text)
    {
        CheckText(key, text);
        writer.WriteStringValue(text);
    }

    private static void CheckText(string key, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw Refuse(key, "contains a NUL character (U+0000), which PostgreSQL's jsonb cannot store");
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw Refuse(key, "contains a lone UTF-16 surrogate (not valid Unicode)");
            }
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, string key, double number)
    {
        if (!double.IsFinite(number))
        {
            throw Refuse(key, $"is {number.ToString(CultureInfo.InvariantCulture)}, which JSON cannot represent (only finite numbers)");
        }

        writer.WriteRawValue(PlainDouble(number), skipInputValidation: true);
    }

    /// <summary>
    /// The shortest round-trip digits of a double in plain notation, always with a decimal point:
    /// PostgreSQL prints jsonb numbers without exponents, so a double must look like one (2.0,
    /// 100000000000000000000.0) on both databases to come back as a double and not an integer.
    /// </summary>
    internal static string PlainDouble(double number)
    {
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(new[] { 'E', 'e' });
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var point = text.IndexOf('.');
        var digits = point < 0 ? text : text.Remove(point, 1);
        var integerDigits = (point < 0 ? text.Length : point) + exponent;
        string plain;
        if (integerDigits <= 0)
        {
            plain = "0." + new string('0', -integerDigits) + digits;
        }
        else if (integerDigits >= digits.Length)
        {
            plain = digits + new string('0', integerDigits - digits.Length) + ".0";
        }
        else
        {
            plain = digits[..integerDigits] + "." + digits[integerDigits..];
        }

        return negative ? "-" + plain : plain;
    }

    private static string FormatTime(DateTime time) =>
        DbTime.Truncate(time).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static bool IsInteger(object? value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static NexusException Refuse(string key, string problem) =>
        new(NexusErrorKind.InvalidArgument,
            $"The value of attribute '{key}' {problem}. Attribute values are strings, numbers, booleans, $null, DateTimes, arrays, hashtables and [pscustomobject]s of those; nothing was stored.",
            key);
}
