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
}
