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
                    writer.WriteString(name, DbTime.ToSqliteText(time));
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
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), false, 1 << 16);
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var buffer = new byte[4096];
        long lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var size = Encoding.UTF8.GetMaxByteCount(line.Length);
            if (size > buffer.Length)
            {
                buffer = new byte[Math.Max(size, buffer.Length * 2)];
            }

            var length = Encoding.UTF8.GetBytes(line, buffer);
            object?[] row;
            try
            {
                row = ParseLine(buffer.AsSpan(0, length), index, columns.Count);
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
    private static object?[] ParseLine(ReadOnlySpan<byte> line, Dictionary<string, int> index, int width)
    {
        var row = new object?[width];
        var seen = new bool[width];
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("the line is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!index.TryGetValue(name, out var i))
            {
                throw new FormatException($"unknown column '{name}'.");
            }

            reader.Read();
            seen[i] = true;
            row[i] = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => reader.TryGetInt64(out var n) ? n : Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw new FormatException($"column '{name}' holds a nested value; expected text, a number or null."),
            };
        }

        var missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new FormatException($"the line lacks column '{index.First(p => p.Value == missing).Key}'.");
        }

        return row;
    }
}
