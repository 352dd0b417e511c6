using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nexus.Core.Transfer;

/// <summary>
/// The reject file of -SkipInvalid: NDJSON, one line per skipped row with its table, key, the
/// column at fault, the reason and the row's values as read. Created on the first rejected row.
/// </summary>
internal sealed class RejectWriter : IDisposable
{
    private readonly string _path;
    private FileStream? _stream;
    private Utf8JsonWriter? _writer;

    public RejectWriter(string path)
    {
        _path = Path.GetFullPath(path);
    }

    /// <summary>The file, once a row was written to it.</summary>
    public string? WrittenPath => _stream is null ? null : _path;

    public void Write(TransferTable table, IReadOnlyList<TransferColumn> columns, object?[] row, string key, RowProblem problem)
    {
        if (_stream is null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            _stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        var w = _writer!;
        w.WriteStartObject();
        w.WriteString("table", table.Name);
        w.WriteString("key", key);
        w.WriteString("column", problem.Column);
        w.WriteString("reason", problem.Reason);
        w.WriteStartObject("row");
        for (var i = 0; i < columns.Count; i++)
        {
            switch (row[i])
            {
                case null:
                    w.WriteNull(columns[i].Name);
                    break;
                case long n:
                    w.WriteNumber(columns[i].Name, n);
                    break;
                case byte[] bytes:
                    w.WriteString(columns[i].Name, "0x" + Convert.ToHexString(bytes));
                    break;
                case DateTime time:
                    w.WriteString(columns[i].Name, TimeText.Write(time));
                    break;
                case IFormattable f:
                    w.WriteString(columns[i].Name, f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    w.WriteString(columns[i].Name, row[i]!.ToString());
                    break;
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        w.Reset();
        _stream.WriteByte((byte)'\n');
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _stream?.Dispose();
    }
}
