using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Writes an export folder: each table to "&lt;table&gt;.ndjson[.gz].partial", renamed to its final
/// name once complete, and manifest.json last. A folder without a manifest is an unfinished
/// export that Import-NexusData refuses and a new Export-NexusData simply overwrites.
/// </summary>
internal sealed class ExportSink : ITableSink
{
    private static readonly JsonWriterOptions LineOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    private readonly string _folder;
    private readonly ITableSource _source;
    private readonly TransferOptions _options;
    private readonly List<ExportManifestTable> _tables = [];
    // Lines are written to the buffer and handed to the stream 64 KB at a time: flushing the JSON
    // writer into the stream itself would flush the file (or a gzip block) once per row.
    private const int FlushAt = 1 << 16;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt * 2);
    private Stream? _stream;
    private Utf8JsonWriter? _writer;
    private string _partial = string.Empty;
    private ExportManifestTable? _current;
    private IReadOnlyList<TransferColumn> _columns = [];

    public ExportSink(string folder, ITableSource source, TransferOptions options)
    {
        _folder = Path.GetFullPath(folder);
        _source = source;
        _options = options;
        if (File.Exists(_folder))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"'{_folder}' is a file. Give a folder for the export.", _folder);
        }

        if (File.Exists(Path.Combine(_folder, ExportManifest.FileName)) && !options.Overwrite)
        {
            throw new NexusException(NexusErrorKind.AlreadyExists,
                $"'{_folder}' already holds a finished export. Choose another folder, or use -Force to replace it.", _folder);
        }

        Directory.CreateDirectory(_folder);
        // An old manifest must not vouch for files that are being replaced.
        File.Delete(Path.Combine(_folder, ExportManifest.FileName));
    }

    public string Description => _folder;

    public void Prepare(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
    }

    public void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        var file = table.Name + (_options.Compress ? ".ndjson.gz" : ".ndjson");
        foreach (var stale in new[] { table.Name + ".ndjson", table.Name + ".ndjson.gz" })
        {
            File.Delete(Path.Combine(_folder, stale));
        }

        _current = new ExportManifestTable { Name = table.Name, File = file, Columns = columns.Select(c => c.Name).ToList() };
        _partial = Path.Combine(_folder, file + ".partial");
        _stream = NdjsonRows.OpenWrite(_partial, _options.Compress);
        _buffer.ResetWrittenCount();
        _writer = new Utf8JsonWriter(_buffer, LineOptions);
        _columns = columns;
    }

    public object?[] Write(object?[] row)
    {
        NdjsonRows.WriteRow(_writer!, _columns, row);
        _writer!.Flush();
        _writer.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        if (_buffer.WrittenCount >= FlushAt)
        {
            WriteBuffer();
        }

        _current!.Rows++;
        return row;
    }

    private void WriteBuffer()
    {
        _stream!.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }

    public void End()
    {
        WriteBuffer();
        _writer!.Dispose();
        _stream!.Dispose();
        var final = Path.Combine(_folder, _current!.File);
        File.Move(_partial, final, overwrite: true);
        using (var file = File.OpenRead(final))
        {
            _current.Sha256 = Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant();
        }

        _tables.Add(_current);
        _writer = null;
        _stream = null;
    }

    public void FinishLoad(Action<string> phase)
    {
    }

    public IEnumerable<object?[]> ReadBack(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        NdjsonRows.Read(Path.Combine(_folder, _tables.Single(t => t.Name == table.Name).File), columns, cancel);

    public void Commit(IReadOnlyList<TableTransferResult> results)
    {
        foreach (var table in _tables)
        {
            table.Checksum = results.Single(r => r.Table == table.Name).DestinationChecksum;
        }

        new ExportManifest
        {
            ModuleVersion = _options.ModuleVersion,
            SchemaRevision = _source.SchemaRevision,
            Provider = _source.Provider.ToString(),
            CreatedAt = DateTime.UtcNow.ToString(TimeText.Format, CultureInfo.InvariantCulture),
            Compressed = _options.Compress,
            Tables = _tables,
        }.Save(_folder);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _stream?.Dispose();
        if (_writer is not null && File.Exists(_partial))
        {
            File.Delete(_partial);
        }
    }
}
