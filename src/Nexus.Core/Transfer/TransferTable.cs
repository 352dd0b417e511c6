namespace Nexus.Core.Transfer;

/// <summary>
/// One of the store's tables as the transfer sees it: every column this module knows, in a fixed
/// order, the primary key (always the first column) and the natural key used by -Merge. The
/// columns actually transferred are those the source has (an older schema revision has fewer).
/// </summary>
public sealed class TransferTable
{
    private TransferTable(string name, string[] naturalKey, string? parentColumn, string[] layoutColumns, params TransferColumn[] columns)
    {
        Name = name;
        NaturalKey = naturalKey;
        ParentColumn = parentColumn;
        LayoutColumns = layoutColumns;
        KnownColumns = columns;
    }

    /// <summary>file_paths: one row per virtual path.</summary>
    public static TransferTable FilePaths { get; } = new(
        "file_paths",
        ["tenant_id", "virtual_path"],
        null,
        [],
        new("path_id", ColumnKind.Uuid),
        new("tenant_id", ColumnKind.Text),
        new("virtual_path", ColumnKind.Text),
        new("backend_id", ColumnKind.Text),
        new("physical_path", ColumnKind.Text),
        new("file_type", ColumnKind.Text),
        new("size_bytes", ColumnKind.Integer),
        new("content_hash", ColumnKind.Text),
        new("created_at", ColumnKind.Timestamp),
        new("updated_at", ColumnKind.Timestamp),
        new("deleted_at", ColumnKind.Timestamp),
        new("current_version", ColumnKind.Integer, IsInt32: true));

    /// <summary>file_metadata: attributes, one JSON value per file and key.</summary>
    public static TransferTable FileMetadata { get; } = new(
        "file_metadata",
        ["path_id", "key"],
        "path_id",
        ["tenant_id"],
        new("metadata_id", ColumnKind.Uuid),
        new("path_id", ColumnKind.Uuid),
        new("key", ColumnKind.Text),
        new("value", ColumnKind.Json),
        new("created_at", ColumnKind.Timestamp),
        new("updated_at", ColumnKind.Timestamp));

    /// <summary>content_chunks: content-addressed chunks with reference counts.</summary>
    public static TransferTable ContentChunks { get; } = new(
        "content_chunks",
        ["content_hash"],
        null,
        [],
        new("chunk_id", ColumnKind.Uuid),
        new("content_hash", ColumnKind.Text),
        new("size_bytes", ColumnKind.Integer),
        new("storage_path", ColumnKind.Text),
        new("ref_count", ColumnKind.Integer, IsInt32: true),
        new("created_at", ColumnKind.Timestamp),
        new("last_accessed_at", ColumnKind.Timestamp),
        new("protected_until", ColumnKind.Timestamp));

    /// <summary>Every table, parents before children (the order rows are written in).</summary>
    public static IReadOnlyList<TransferTable> All { get; } = [FilePaths, FileMetadata, ContentChunks];

    /// <summary>The table name, the same in both dialects.</summary>
    public string Name { get; }

    /// <summary>Every column this module knows for the table, primary key first.</summary>
    public IReadOnlyList<TransferColumn> KnownColumns { get; }

    /// <summary>The primary key column (a uuid).</summary>
    public string PrimaryKey => KnownColumns[0].Name;

    /// <summary>The columns -Merge matches rows on.</summary>
    public IReadOnlyList<string> NaturalKey { get; }

    /// <summary>
    /// Columns a tenant-keyed layout adds to the table and derives itself (file_metadata.tenant_id
    /// is its file's tenant): never read, written, exported or checksummed by a transfer, so the
    /// rows and checksums are the same on every layout.
    /// </summary>
    public IReadOnlyList<string> LayoutColumns { get; }

    /// <summary>The column referencing file_paths.path_id, if the table has one.</summary>
    public string? ParentColumn { get; }

    /// <summary>Where <see cref="ParentColumn"/> is among <paramref name="columns"/>, or -1 (no parent column).</summary>
    public int ParentIndex(IReadOnlyList<TransferColumn> columns)
    {
        for (var i = 0; ParentColumn is not null && i < columns.Count; i++)
        {
            if (columns[i].Name == ParentColumn)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The table by name, or null.</summary>
    public static TransferTable? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The known columns, in this module's order, that a store's table has; fails when the table
    /// has a column the module does not know (it would be lost silently otherwise).
    /// </summary>
    public IReadOnlyList<TransferColumn> Select(IReadOnlyCollection<string> present, string where)
    {
        var unknown = present.Where(p => KnownColumns.All(c => c.Name != p) && !LayoutColumns.Contains(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new Store.NexusException(Store.NexusErrorKind.SchemaMismatch,
                $"The table {Name} in {where} has column(s) {string.Join(", ", unknown)} that this module does not know. Update the Nexus module.", Name);
        }

        var selected = KnownColumns.Where(c => present.Contains(c.Name)).ToList();
        if (selected.Count == 0 || selected[0].Name != PrimaryKey)
        {
            throw new Store.NexusException(Store.NexusErrorKind.SchemaMismatch,
                $"The table {Name} in {where} has no {PrimaryKey} column; it is not a Nexus table.", Name);
        }

        return selected;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
