using System.Runtime.CompilerServices;
using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// The line format of export files: one JSON object per row, members in column order; uuids as
/// "D" text, timestamps as UTC text (yyyy-MM-ddTHH:mm:ss.ffffffZ), integers as numbers, JSON
/// attribute values as a string holding their canonical text (so SQL NULL and JSON null stay
/// apart), null for NULL.
/// </summary>
internal static class NdjsonRows
{
    public static Stream OpenWrite(string path, bool compress)
    {
        Stream stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        return compress ? new GZipStream(stream, CompressionLevel.Fastest) : stream;
    }

    public static Stream OpenRead(string path)
    {
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteRow(Utf8JsonWriter writer, IReadOnlyList<TransferColumn> columns, object?[] row)
    {
        writer.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i].Name;
            switch (row[i])
            {
                case null:
                    writer.WriteNull(name);
                    break;
                case Guid id:
                    writer.WriteString(name, id.ToString("D"));
                    break;
                case DateTime time:
                    writer.WriteString(name, TimeText.Write(time));
                    break;
                case long number:
                    writer.WriteNumber(name, number);
                    break;
                case string text:
                    writer.WriteString(name, text);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Streams the rows of an export file, raw (strings and longs), in column order.</summary>
    public static IEnumerable<object?[]> Read(string path, IReadOnlyList<TransferColumn> columns, CancellationToken cancel)
    {
        using var stream = OpenRead(path);
        var names = new LineColumns(columns);
        // Lines are cut from the bytes as read and parsed as UTF-8 in place (no text decoding).
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        long lineNumber = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            int next;
            if (newline >= 0)
            {
                next = newline + 1;
            }
            else
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read > 0)
                {
                    end += read;
                    continue;
                }

                if (start == end)
                {
                    yield break;
                }

                newline = next = end; // the last line has no line break
            }

            var length = newline - start;
            if (length > 0 && buffer[start + length - 1] == (byte)'\r')
            {
                length--;
            }

            var offset = start;
            start = next;
            lineNumber++;
            if (length == 0)
            {
                continue;
            }

            object?[] row;
            try
            {
                row = ParseLine(buffer, offset, length, names);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new NexusException(NexusErrorKind.InvalidData,
                    $"{path}, line {lineNumber}: {e.Message} The export file is damaged; export again.", path, e);
            }

            yield return row;
            cancel.ThrowIfCancellationRequested();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static object?[] ParseLine(byte[] buffer, int offset, int length, LineColumns names)
    {
        var width = names.Count;
        var row = new object?[width];
        var reader = new Utf8JsonReader(buffer.AsSpan(offset, length));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("the line is not a JSON object.");
        }

        var position = 0;
        var found = new bool[width];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var i = names.Find(ref reader, position++);
            reader.Read();
            found[i] = true;

            row[i] = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => reader.TryGetInt64(out var n) ? n : Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw new FormatException($"column '{names.Name(i)}' holds a nested value; expected text, a number or null."),
            };
        }

        var missing = Array.IndexOf(found, false);
        if (missing >= 0)
        {
            throw new FormatException($"the line lacks column '{names.Name(missing)}'.");
        }

        return row;
    }

    /// <summary>
    /// The columns a line should hold. Export writes them in column order, so the name at each
    /// position is compared as UTF-8 bytes first; any other order is looked up by name.
    /// </summary>
    private sealed class LineColumns
    {
        private readonly IReadOnlyList<TransferColumn> _columns;
        private readonly byte[][] _utf8;
        private readonly Dictionary<string, int> _byName;

        public LineColumns(IReadOnlyList<TransferColumn> columns)
        {
            _columns = columns;
            _utf8 = columns.Select(c => Encoding.UTF8.GetBytes(c.Name)).ToArray();
            _byName = columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        }

        public int Count => _columns.Count;

        public string Name(int index) => _columns[index].Name;

        /// <summary>The column of the property name the reader is on (expected at <paramref name="position"/>).</summary>
        public int Find(ref Utf8JsonReader reader, int position)
        {
            if (position < _utf8.Length && reader.ValueTextEquals(_utf8[position]))
            {
                return position;
            }

            var name = reader.GetString()!;
            return _byName.TryGetValue(name, out var index) ? index : throw new FormatException($"unknown column '{name}'.");
        }
    }
}
