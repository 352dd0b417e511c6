using System.Text;
using System.Text.Json;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// The text PostgreSQL prints for a jsonb value (jsonb_out, and so value::text), made on the
/// client from the module's canonical JSON: object keys ordered by their UTF-8 length and then
/// bytewise (jsonb's own order), ", " between items and ": " after keys, strings escaped as the
/// server escapes them (\" \\ \b \f \n \r \t, other control characters as \u00xx, everything
/// else as it is), numbers as the canonical form already prints them (numeric's output).
/// </summary>
internal sealed class JsonbText
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The UTF-8 bytes of the text (valid until the next call).</summary>
    public ReadOnlySpan<byte> From(string canonicalJson)
    {
        _length = 0;
        using var document = JsonDocument.Parse(canonicalJson, Options);
        Write(document.RootElement);
        return _buffer.AsSpan(0, _length);
    }

    private void Write(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(byte[] Name, JsonElement Value)>();
                foreach (var property in element.EnumerateObject())
                {
                    members.Add((Encoding.UTF8.GetBytes(property.Name), property.Value));
                }

                // Stable, so of a repeated name (canonical JSON has none) the last stays last.
                var ordered = members.Count > 1 ? members.OrderBy(m => m.Name, KeyOrder.Instance).ToList() : members;
                Put((byte)'{');
                var firstMember = true;
                for (var i = 0; i < ordered.Count; i++)
                {
                    if (i + 1 < ordered.Count && ordered[i].Name.AsSpan().SequenceEqual(ordered[i + 1].Name))
                    {
                        continue;
                    }

                    if (!firstMember)
                    {
                        Put(", "u8);
                    }

                    firstMember = false;

                    WriteString(Encoding.UTF8.GetString(ordered[i].Name));
                    Put(": "u8);
                    Write(ordered[i].Value);
                }

                Put((byte)'}');
                break;
            case JsonValueKind.Array:
                Put((byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        Put(", "u8);
                    }

                    first = false;
                    Write(item);
                }

                Put((byte)']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!);
                break;
            case JsonValueKind.Number:
                PutAscii(element.GetRawText());
                break;
            case JsonValueKind.True:
                Put("true"u8);
                break;
            case JsonValueKind.False:
                Put("false"u8);
                break;
            default:
                Put("null"u8);
                break;
        }
    }

    private void WriteString(string text)
    {
        Put((byte)'"');
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= ' ' && c != '"' && c != '\\')
            {
                continue;
            }

            PutUtf8(text.AsSpan(start, i - start));
            start = i + 1;
            switch (c)
            {
                case '"': Put("\\\""u8); break;
                case '\\': Put("\\\\"u8); break;
                case '\b': Put("\\b"u8); break;
                case '\f': Put("\\f"u8); break;
                case '\n': Put("\\n"u8); break;
                case '\r': Put("\\r"u8); break;
                case '\t': Put("\\t"u8); break;
                default: PutAscii($"\\u{(int)c:x4}"); break;
            }
        }

        PutUtf8(text.AsSpan(start));
        Put((byte)'"');
    }

    private void PutUtf8(ReadOnlySpan<char> text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void PutAscii(string text)
    {
        Ensure(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            _buffer[_length++] = (byte)text[i];
        }
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Put(byte b)
    {
        Ensure(1);
        _buffer[_length++] = b;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + more, _buffer.Length * 2));
        }
    }

    /// <summary>jsonb's key order: shorter first, then bytewise.</summary>
    private sealed class KeyOrder : IComparer<byte[]>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) =>
            x!.Length != y!.Length ? x.Length.CompareTo(y.Length) : x.AsSpan().SequenceCompareTo(y);
    }
}
