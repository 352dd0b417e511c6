using System.Data.Common;
using Nexus.Core.Connection;

namespace Nexus.Core.Dialects;

/// <summary>
/// What the migration engine (Migrations/) needs to differ between databases: the migration lock,
/// the journal's catalog query, the offline script's framing, and the fragments of adopting an
/// original Nexus store. The algorithms (waiting for the lock, planning, the journal, adoption's
/// checks and order) are written once in Migrations/; each piece here is the database's part only,
/// the way DbUp's TableJournal asks each provider for small SQL fragments.
/// </summary>
internal interface IMigrationSql
{
    /// <summary>The migration lock over a connection of the store (not taken yet).</summary>
    IMigrationLock CreateLock(DbConnection connection);

    /// <summary>
    /// True when up scripts run over the lock's connection inside a step (DbUp without a
    /// transaction of its own); false when DbUp runs them over its own pooled connections, a
    /// transaction per script.
    /// </summary>
    bool UpScriptsRunInStep { get; }

    /// <summary>A query (no parameters: DbUp's command factory runs it) counting the tables of that name in the store's schema.</summary>
    string TableCountSql(string table);

    /// <summary>
    /// Runs <paramref name="read"/> over a connection to the store as it is, opened so that
    /// nothing is created or changed (a file read-only, not pooled); returns
    /// <paramref name="whenMissing"/> when there is no store yet (a missing or in-memory file).
    /// </summary>
    T ReadExisting<T>(StoreTarget target, Func<DbConnection, T> read, T whenMissing);

    /// <summary>The database's parts of an offline migration script (-Script).</summary>
    OfflineScriptSql OfflineScript { get; }

    /// <summary>A query with one parameter, @table, listing that table's columns: rows of (name, declared type).</summary>
    string ColumnTypesSql { get; }

    /// <summary>
    /// The declared types an original column of this kind may have (as <see cref="ColumnTypesSql"/>
    /// names them); null when the database does not enforce declared types, so none are checked.
    /// </summary>
    IReadOnlyList<string>? OriginalTypes(OriginalColumnKind kind);

    /// <summary>A condition true for rows whose text column is not valid JSON; null when the database cannot tell.</summary>
    string? NotJsonCondition(string column);

    /// <summary>A condition true for rows whose id column does not hold a UUID; null when ids are plain text here.</summary>
    string? NotUuidCondition(string column);

    /// <summary>
    /// Adoption runs migration 0001's statements through this: the one that creates
    /// file_metadata comes back with updated_at defaulting to the insert time where that default
    /// cannot be added later (the original inserts rows without updated_at); others come back as they are.
    /// </summary>
    string WithInsertTimeDefault(string statement);

    /// <summary>
    /// Adoption, once migration 0001's tables exist: adds the insert-time default of
    /// file_metadata.updated_at where it is added afterwards, and keeps file_metadata.value as the
    /// original's JSON text when <paramref name="keepOriginalTypes"/> asks and the database has a
    /// JSON type of its own. Returns whether values stay text and a note for the operator, or null.
    /// </summary>
    (bool KeepsJsonText, string? Note) AfterAdoptedTablesCreated(DbConnection connection, DbTransaction? transaction, bool keepOriginalTypes);

    /// <summary>Drops the tables' own indexes and constraints (before they are set aside: their names may collide with 0001's).</summary>
    void ClearOwnIndexes(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> tables);

    /// <summary>Copies every row of <paramref name="from"/> into <paramref name="to"/>, column by column as described, converted.</summary>
    void CopyAdoptedRows(DbConnection connection, DbTransaction? transaction, string from, string to, IReadOnlyList<AdoptedColumn> columns, bool keepJsonText);

    /// <summary>
    /// Converts file_metadata.value from JSON text (kept at adoption) to the database's JSON type
    /// with its index; returns a line saying what it did, or null when there is nothing to convert
    /// (it is not text, or JSON is always text here).
    /// </summary>
    string? ConvertJsonTextValues(DbConnection connection, DbTransaction? transaction);
}
