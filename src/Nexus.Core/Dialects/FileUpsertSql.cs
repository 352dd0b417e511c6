using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The parts of the record upsert that both dialects share.</summary>
internal static class FileUpsertSql
{
    public const string Columns =
        "path_id, tenant_id, virtual_path, backend_id, physical_path, file_type, size_bytes, content_hash, created_at, updated_at, deleted_at, current_version";

    /// <summary>An update keeps created_at, bumps the version and undeletes.</summary>
    public const string OnConflict = """
        ON CONFLICT (tenant_id, virtual_path) DO UPDATE SET
            backend_id = excluded.backend_id,
            physical_path = excluded.physical_path,
            file_type = excluded.file_type,
            size_bytes = excluded.size_bytes,
            content_hash = excluded.content_hash,
            updated_at = excluded.updated_at,
            deleted_at = NULL,
            current_version = file_paths.current_version + 1
        """;

    public const string Returning = " RETURNING tenant_id, virtual_path, created_at, updated_at, current_version";

    /// <summary>The record as stored: the input with the timestamps and version <see cref="Returning"/> gave back.</summary>
    public static FileRecord ReadStored(FileRecord input, DbDataReader reader, ISqlDialect dialect) => new()
    {
        Tenant = input.Tenant,
        Path = input.Path,
        BackendName = input.BackendName,
        PhysicalPath = input.PhysicalPath,
        Size = input.Size,
        ETag = input.ETag,
        MimeType = input.MimeType,
        CreatedAt = dialect.ReadTimestamp(reader, 2)!.Value,
        ModifiedAt = dialect.ReadTimestamp(reader, 3)!.Value,
        Version = reader.GetInt32(4),
    };
}
