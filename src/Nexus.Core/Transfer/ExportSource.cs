using System.Security.Cryptography;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Reads an export folder: the manifest first (format, tables), then the SHA-256 of every table
/// file against it, before a single row is handed out.
/// </summary>
internal sealed class ExportSource : ITableSource
{
    private readonly string _folder;

    public ExportSource(string folder, Action<string>? log)
    {
        _folder = Path.GetFullPath(folder);
        Manifest = ExportManifest.Load(_folder);
        if (!Enum.TryParse<StoreProvider>(Manifest.Provider, out var provider))
        {
            throw new NexusException(NexusErrorKind.InvalidData, $"The manifest in '{_folder}' names an unknown provider '{Manifest.Provider}'.", _folder);
        }

        Provider = provider;
        foreach (var table in Manifest.Tables)
        {
            if (TransferTable.Find(table.Name) is null)
            {
                throw new NexusException(NexusErrorKind.InvalidData, $"The manifest in '{_folder}' lists a table '{table.Name}' that this module does not know.", _folder);
            }

            var path = FileOf(table);
            if (!File.Exists(path))
            {
                throw new NexusException(NexusErrorKind.InvalidData, $"The export file '{path}' listed in the manifest is missing.", path);
            }

            string hash;
            using (var file = File.OpenRead(path))
            {
                hash = Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant();
            }

            if (!string.Equals(hash, table.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new NexusException(NexusErrorKind.InvalidData,
                    $"The export file '{path}' has SHA-256 {hash}, but the manifest records {table.Sha256}: the file was changed or damaged. Nothing was imported.", path);
            }

            log?.Invoke($"{table.File}: SHA-256 matches the manifest ({table.Rows} rows).");
        }
    }

    public ExportManifest Manifest { get; }

    public string Description => _folder;

    public StoreProvider Provider { get; }

    public string SchemaRevision => Manifest.SchemaRevision;

    public IReadOnlyList<TransferColumn> Columns(TransferTable table) => table.Select(Entry(table).Columns, _folder);

    public long Count(TransferTable table) => Entry(table).Rows;

    public IEnumerable<object?[]> Read(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        NdjsonRows.Read(FileOf(Entry(table)), columns, cancel);

    public void Dispose()
    {
    }

    private ExportManifestTable Entry(TransferTable table) => Manifest.Tables.Single(t => t.Name == table.Name);

    private string FileOf(ExportManifestTable table)
    {
        // The manifest names files inside the folder only.
        if (table.File != Path.GetFileName(table.File))
        {
            throw new NexusException(NexusErrorKind.InvalidData, $"The manifest in '{_folder}' names a file outside the folder: '{table.File}'.", _folder);
        }

        return Path.Combine(_folder, table.File);
    }
}
