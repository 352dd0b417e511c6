using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Engines;

/// <summary>
/// Content chunks and their reference counts. Adding a known hash adds one reference atomically
/// (INSERT … ON CONFLICT DO UPDATE, so concurrent writers never lose a count); releasing subtracts
/// one, never below zero; collecting deletes unreferenced, unprotected chunks and says which.
/// </summary>
public sealed class ChunkStore : IStoreEngine
{
    /// <summary>The longest content hash (varchar(64)).</summary>
    public const int MaxHashLength = 64;

    private readonly StoreAccess _access;

    /// <summary>The chunks of <paramref name="store"/>; fails if its schema is not current.</summary>
    public ChunkStore(NexusStore store)
    {
        _access = new StoreAccess(store);
    }

    /// <inheritdoc />
    public Action<string>? Log
    {
        get => _access.Log;
        set => _access.Log = value;
    }

    /// <summary>Returns the hash, or throws an InvalidArgument error naming it.</summary>
    public static string ValidateHash(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The content hash '{hash}' is empty.", hash, hint: $"Give the chunk's hash (1 to {MaxHashLength} characters).");
        }

        if (TextRules.Problem(hash, MaxHashLength) is { } problem)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"The content hash '{TextRules.Printable(hash)}' {problem}.", hash);
        }

        return hash;
    }

    /// <summary>Checks a chunk to add and truncates its protection time in place, returning it; throws an InvalidArgument error naming its hash (changing nothing).</summary>
    public static ChunkRecord Check(ChunkRecord chunk)
    {
        var hash = ValidateHash(chunk.ContentHash);
        if (chunk.Size < 0)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"The chunk '{hash}' has a negative size ({chunk.Size}).", hash);
        }

        if (string.IsNullOrEmpty(chunk.StoragePath) || TextRules.Problem(chunk.StoragePath, int.MaxValue) is not null)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The chunk '{hash}' has no usable StoragePath.", hash, hint: "Give where its bytes are stored.");
        }

        // Filled in place, as MetadataStore.Check does: callers build the record for this call.
        chunk.ContentHash = hash;
        chunk.ProtectedUntil = chunk.ProtectedUntil is null ? null : DbTime.Truncate(chunk.ProtectedUntil.Value);
        return chunk;
    }

    /// <summary>
    /// Adds checked chunks in ONE transaction: new hashes get RefCount 1, known ones one more
    /// (their size and storage path stay; a later protection time extends the protection).
    /// Returns each chunk as stored, in input order.
    /// </summary>
    public IReadOnlyList<ChunkRecord> Add(IReadOnlyList<ChunkRecord> chunks, CancellationToken cancel = default)
    {
        if (chunks.Count == 0)
        {
            return Array.Empty<ChunkRecord>();
        }

        var sql = _access.Sql;
        return _access.Write(chunks.Count == 1 ? chunks[0].ContentHash : $"{chunks.Count} chunks", (connection, transaction) =>
        {
            using var command = connection.CreateCommand(
                $"""
                INSERT INTO content_chunks (chunk_id, content_hash, size_bytes, storage_path, ref_count, created_at, last_accessed_at, protected_until)
                VALUES (@id, @hash, @size, @storage, 1, @now, @now, @protected)
                ON CONFLICT (content_hash) DO UPDATE SET
                    ref_count = content_chunks.ref_count + 1,
                    last_accessed_at = excluded.last_accessed_at,
                    protected_until = {sql.LaterOf("content_chunks.protected_until", "excluded.protected_until")}
                RETURNING {ChunkRecordColumns.Select}
                """,
                transaction);
            var id = command.AddParameter("@id", null);
            var hash = command.AddParameter("@hash", null);
            var size = command.AddParameter("@size", null);
            var storage = command.AddParameter("@storage", null);
            _access.Dialect.AddTimestamp(command, "@now", DbTime.UtcNow());
            _access.Dialect.AddTimestamp(command, "@protected", null);
            var protectedUntil = command.Parameters["@protected"];
            var stored = new List<ChunkRecord>(chunks.Count);
            foreach (var chunk in chunks)
            {
                cancel.ThrowIfCancellationRequested();
                id.Value = sql.NewId();
                hash.Value = chunk.ContentHash;
                size.Value = chunk.Size;
                storage.Value = chunk.StoragePath;
                protectedUntil.Value = _access.Dialect.TimestampValue(chunk.ProtectedUntil);
                using var reader = command.ExecuteReader();
                reader.Read();
                stored.Add(ChunkRecordColumns.Read(reader, _access.Dialect));
            }

            cancel.ThrowIfCancellationRequested();
            return stored;
        });
    }

    /// <summary>
    /// Subtracts one reference from each hash (never below zero) in ONE transaction. Returns the
    /// chunks as they are afterwards, by hash; unknown hashes are absent.
    /// </summary>
    public IReadOnlyDictionary<string, ChunkRecord> Release(IReadOnlyList<string> hashes, CancellationToken cancel = default)
    {
        var sql = _access.Sql;
        return _access.Write(hashes.Count == 1 ? hashes[0] : $"{hashes.Count} chunks", (connection, transaction) =>
        {
            using var command = connection.CreateCommand(
                $"UPDATE content_chunks SET ref_count = {sql.LargerOf("ref_count - 1", "0")} WHERE content_hash = @hash RETURNING {ChunkRecordColumns.Select}",
                transaction);
            var hash = command.AddParameter("@hash", null);
            var released = new Dictionary<string, ChunkRecord>(StringComparer.Ordinal);
            foreach (var wanted in hashes)
            {
                cancel.ThrowIfCancellationRequested();
                hash.Value = wanted;
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    released[wanted] = ChunkRecordColumns.Read(reader, _access.Dialect);
                }
            }

            cancel.ThrowIfCancellationRequested();
            return released;
        });
    }

    /// <summary>One chunk, or null.</summary>
    public ChunkRecord? Get(string hash) =>
        _access.Read(hash, connection =>
        {
            using var command = connection.CreateCommand($"SELECT {ChunkRecordColumns.Select} FROM content_chunks WHERE content_hash = @hash");
            command.AddParameter("@hash", hash);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ChunkRecordColumns.Read(reader, _access.Dialect) : null;
        });

    /// <summary>All chunks (or only those with no references), in byte-wise hash order, streamed.</summary>
    public IEnumerable<ChunkRecord> List(bool unreferencedOnly) =>
        _access.Stream<ChunkRecord>(
            "content_chunks",
            _ => { },
            connection => connection.CreateCommand(
                $"SELECT {ChunkRecordColumns.Select} FROM content_chunks{(unreferencedOnly ? " WHERE ref_count = 0" : string.Empty)} ORDER BY content_hash{_access.Sql.OrdinalCollation}"),
            reader => ChunkRecordColumns.Read(reader, _access.Dialect));

    /// <summary>Chunks that garbage collection may delete at <paramref name="now"/>: no references, not protected.</summary>
    public IReadOnlyList<ChunkRecord> Collectable(DateTime now) =>
        _access.Read("content_chunks", connection =>
        {
            using var command = connection.CreateCommand(
                $"SELECT {ChunkRecordColumns.Select} FROM content_chunks WHERE ref_count = 0 AND (protected_until IS NULL OR protected_until <= @now) ORDER BY content_hash{_access.Sql.OrdinalCollation}");
            _access.Dialect.AddTimestamp(command, "@now", now);
            using var reader = command.ExecuteReader();
            var chunks = new List<ChunkRecord>();
            while (reader.Read())
            {
                chunks.Add(ChunkRecordColumns.Read(reader, _access.Dialect));
            }

            return chunks;
        });

    /// <summary>
    /// Deletes these chunks in ONE transaction, each only if it is still unreferenced and
    /// unprotected at <paramref name="now"/> (a chunk referenced again meanwhile stays). Returns
    /// what it deleted.
    /// </summary>
    public IReadOnlyList<ChunkRecord> Delete(IReadOnlyList<string> hashes, DateTime now, CancellationToken cancel = default)
    {
        if (hashes.Count == 0)
        {
            return Array.Empty<ChunkRecord>();
        }

        return _access.Write("content_chunks", (connection, transaction) =>
        {
            using var command = connection.CreateCommand(
                $"DELETE FROM content_chunks WHERE content_hash = @hash AND ref_count = 0 AND (protected_until IS NULL OR protected_until <= @now) RETURNING {ChunkRecordColumns.Select}",
                transaction);
            var hash = command.AddParameter("@hash", null);
            _access.Dialect.AddTimestamp(command, "@now", now);
            var deleted = new List<ChunkRecord>();
            foreach (var wanted in hashes)
            {
                cancel.ThrowIfCancellationRequested();
                hash.Value = wanted;
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    deleted.Add(ChunkRecordColumns.Read(reader, _access.Dialect));
                }
            }

            cancel.ThrowIfCancellationRequested();
            return deleted;
        });
    }
}
