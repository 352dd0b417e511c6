using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>The content_chunks columns every chunk query selects, and how to read them back.</summary>
internal static class ChunkRecordColumns
{
    /// <summary>The select list (no table alias, so it also serves RETURNING).</summary>
    public const string Select =
        "content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until";

    public static ChunkRecord Read(DbDataReader reader, ISqlDialect dialect)
    {
        CallDeadline.MarkProgress();   // a record read: the server answers
        return new()
        {
            ContentHash = reader.GetString(0),
            Size = reader.GetInt64(1),
            StoragePath = reader.GetString(2),
            RefCount = reader.GetInt32(3),
            CreatedAt = dialect.ReadTimestamp(reader, 4)!.Value,
            LastAccessedAt = dialect.ReadTimestamp(reader, 5),
            ProtectedUntil = dialect.ReadTimestamp(reader, 6),
        };
    }
}
