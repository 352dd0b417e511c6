using System.Data.Common;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// What the store cmdlets' SQL needs to differ between SQLite and PostgreSQL: ids, byte-wise
/// ordering, JSON values and containment, write transactions, and the bulk paths. Statements use
/// @name parameters, which both drivers understand; nothing a user types is ever spliced in.
/// </summary>
internal interface IStoreSql
{
    /// <summary>A new row id, typed as the dialect stores ids (uuid or 36-character text).</summary>
    object NewId();

    /// <summary>Appended to virtual_path so that comparisons and ORDER BY are byte-wise.</summary>
    string OrdinalCollation { get; }

    /// <summary>What turns a query into its plan (EXPLAIN QUERY PLAN / EXPLAIN), one row per step.</summary>
    string ExplainPrefix { get; }

    /// <summary>SQL for a JSON parameter (a cast to jsonb on PostgreSQL).</summary>
    string JsonParameter(string name);

    /// <summary>
    /// A condition on the file_paths row <c>f</c>: the record has an attribute whose key is the
    /// parameter <paramref name="key"/> and whose value contains (as jsonb @&gt; does) the JSON
    /// parameter <paramref name="value"/>, written so that an index finds the rows.
    /// <paramref name="json"/> is the value's JSON text (the shape of the query may depend on it);
    /// when Exact is not null it is bound to the parameter <paramref name="exact"/>.
    /// <paramref name="tenant"/> names the parameter holding the listed tenant, or is null when
    /// every tenant is listed; a tenant-keyed layout then reads one partition or shard.
    /// </summary>
    (string Sql, object? Exact) AttributeMatch(string key, string value, string exact, string json, string? tenant);

    /// <summary>
    /// A condition that picks the rows of one record by its row id in file_paths or file_metadata
    /// (as <paramref name="alias"/>): path_id = <paramref name="id"/>, and on a tenant-keyed layout
    /// also tenant_id = <paramref name="tenant"/>, so that the statement reads or writes one
    /// partition or shard. The caller binds both parameters; plain SQL leaves the tenant unused.
    /// </summary>
    string RowsOf(string alias, string tenant, string id);

    /// <summary>SQL for the later of two nullable timestamps (null only when both are).</summary>
    string LaterOf(string left, string right);

    /// <summary>SQL for the larger of two integers.</summary>
    string LargerOf(string left, string right);

    /// <summary>Begins a write transaction that takes the write lock at once (SQLite: BEGIN IMMEDIATE).</summary>
    DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Begins a read transaction (one snapshot for a batch of lookups).</summary>
    DbTransaction BeginRead(DbConnection connection);

    /// <summary>Makes the connection ready for <see cref="AttributeMatch"/> (SQLite registers a function).</summary>
    void PrepareForJson(DbConnection connection);

    /// <summary>
    /// Stores a run of records with distinct (tenant, path) in the caller's transaction: insert, or
    /// update (Version + 1, ModifiedAt = now, CreatedAt kept, undeleted). Adds what was stored to
    /// <paramref name="stored"/> when it is not null.
    /// </summary>
    void UpsertFiles(DbConnection connection, DbTransaction transaction, IReadOnlyList<FileRecord> run, DateTime now,
        List<FileRecord>? stored, CancellationToken cancel);

    /// <summary>The records of these paths in one tenant (live ones unless <paramref name="includeDeleted"/>), by path.</summary>
    Dictionary<string, FileRecord> LookupFiles(DbConnection connection, string tenant, IReadOnlyList<string> paths, bool includeDeleted);

    /// <summary>The row ids of the live records at these paths in one tenant, by path (missing paths are absent), in the caller's transaction.</summary>
    Dictionary<string, object> FindLiveIds(DbConnection connection, DbTransaction transaction, string tenant, IReadOnlyList<string> paths);

    /// <summary>Inserts or replaces attribute rows with distinct (tenant, path id, key) in the caller's transaction.</summary>
    void UpsertAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, DateTime now, CancellationToken cancel);

    /// <summary>Deletes attribute rows with distinct (tenant, path id, key) in the caller's transaction; returns those that existed (Json null).</summary>
    HashSet<AttributeRow> DeleteAttributes(DbConnection connection, DbTransaction transaction, IReadOnlyList<AttributeRow> rows, CancellationToken cancel);

    /// <summary>A driver error about the data (constraint, bad value) as an InvalidArgument error; null for anything else.</summary>
    NexusException? TranslateDataError(Exception error, object? target);
}
