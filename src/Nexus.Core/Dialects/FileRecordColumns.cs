using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The file_paths columns every record query selects, and how to read them back.</summary>
internal static class FileRecordColumns
{
    /// <summary>The select list without a table alias (for RETURNING).</summary>
    public const string Plain =
        "tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version";

    /// <summary>The select list, for table alias f.</summary>
    public const string Select =
        "f.tenant_id, f.virtual_path, f.backend_id, f.physical_path, f.file_type, f.size_bytes, f.content_hash, f.created_at, f.updated_at, f.deleted_at, f.current_version";

    public static FileRecord Read(DbDataReader reader, ISqlDialect dialect)
    {
        CallDeadline.MarkProgress();   // a record read: the server answers
        return new()
        {
            Tenant = reader.GetString(0),
            Path = reader.GetString(1),
            BackendName = reader.GetString(2),
            PhysicalPath = reader.GetString(3),
            MimeType = reader.IsDBNull(4) ? null : reader.GetString(4),
            Size = reader.GetInt64(5),
            ETag = reader.IsDBNull(6) ? null : reader.GetString(6),
            CreatedAt = dialect.ReadTimestamp(reader, 7)!.Value,
            ModifiedAt = dialect.ReadTimestamp(reader, 8)!.Value,
            DeletedAt = dialect.ReadTimestamp(reader, 9),
            Version = reader.GetInt32(10),
        };
    }
}
