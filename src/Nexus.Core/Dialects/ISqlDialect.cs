using System.Data.Common;
using DbUp.Builder;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// Everything that differs between SQLite and PostgreSQL lives behind this interface (and the
/// per-dialect classes beside it); the store and the migration engine stay provider-agnostic.
/// </summary>
internal partial interface ISqlDialect
{
    StoreProvider Provider { get; }

    /// <summary>The folder name of this dialect's migration scripts (Migrations/Scripts/&lt;name&gt;).</summary>
    string ScriptFolder { get; }

    /// <summary>Opens the connection source for a target, checking what can be checked first.</summary>
    IConnectionSource CreateConnectionSource(StoreTarget target);

    /// <summary>The server's version text, read over an open connection.</summary>
    string ReadServerVersion(DbConnection connection);

    /// <summary>True when a table of that name exists in the store's schema.</summary>
    bool TableExists(DbConnection connection, string table);

    /// <summary>Names of the user tables in the store's schema.</summary>
    IReadOnlyList<string> ListTables(DbConnection connection);

    /// <summary>Creates the migration journal table if it is missing.</summary>
    string JournalTableDdl { get; }

    /// <summary>
    /// A DbUp builder bound to this dialect. SQLite runs the scripts over <paramref name="connection"/>;
    /// PostgreSQL draws connections from <paramref name="source"/>'s pool.
    /// </summary>
    UpgradeEngineBuilder CreateUpgradeBuilder(IConnectionSource source, DbConnection connection);

    /// <summary>Turns a driver exception into a <see cref="NexusException"/> that says what to do.</summary>
    NexusException Translate(Exception error, StoreTarget target);

    /// <summary>Whether a driver exception from a store call may be retried, and how.</summary>
    WriteFailure Classify(Exception error);

    /// <summary>Adds a parameter whose value is a timestamp, typed as this dialect stores them.</summary>
    void AddTimestamp(DbCommand command, string name, DateTime? value);

    /// <summary>A timestamp as the value of a parameter made by <see cref="AddTimestamp"/> (DBNull for null).</summary>
    object TimestampValue(DateTime? value);

    /// <summary>Reads a timestamp column written by <see cref="AddTimestamp"/>.</summary>
    DateTime? ReadTimestamp(DbDataReader reader, int ordinal);

    /// <summary>How many write transactions may usefully run at once (a single-writer file: 1).</summary>
    int ConcurrentWriters { get; }

    /// <summary>
    /// True when the driver can overrun the command timeout against a hung server, so the store
    /// bounds each call itself (see Store/CallDeadline).
    /// </summary>
    bool NeedsCallDeadline { get; }

    /// <summary>
    /// Settles a store that a migration run has just changed (SQLite: WAL from now on); returns a
    /// line for -Verbose when it changed something, else null.
    /// </summary>
    string? AfterMigrated(DbConnection connection, StoreTarget target);
}
