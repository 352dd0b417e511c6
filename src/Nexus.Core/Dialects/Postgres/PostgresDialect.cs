using System.Data.Common;
using System.Net.Sockets;
using DbUp;
using DbUp.Builder;
using DbUp.Postgresql;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using Npgsql;
using NpgsqlTypes;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>The server dialect: uuid ids, jsonb values, timestamptz in UTC, pooled connections.</summary>
internal sealed partial class PostgresDialect : ISqlDialect
{
    public StoreProvider Provider => StoreProvider.PostgreSql;

    // Two transactions in flight: the server works on one while the client sends the other.
    public int ConcurrentWriters => 2;

    // On a timeout Npgsql sends a cancel request over a new connection and waits for it (up to
    // twice the connect timeout); no public setting skips that wait.
    public bool NeedsCallDeadline => true;

    public string? AfterMigrated(DbConnection connection, StoreTarget target) => null;

    public string ScriptFolder => "postgres";

    public IConnectionSource CreateConnectionSource(StoreTarget target) => new PostgresConnectionSource(target);

    public string ReadServerVersion(DbConnection connection)
    {
        // Every store is opened through here: refuse a server that only looks like PostgreSQL.
        CockroachGuard.RefuseIfCockroach((NpgsqlConnection)connection);
        return "PostgreSQL " + ((NpgsqlConnection)connection).PostgreSqlVersion;
    }

    public bool TableExists(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand("SELECT to_regclass(@name) IS NOT NULL");
        command.AddParameter("name", table);
        return (bool)command.ExecuteScalar()!;
    }

    public IReadOnlyList<string> ListTables(DbConnection connection) =>
        connection.Strings("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");

    public string JournalTableDdl => """
        CREATE TABLE IF NOT EXISTS nexus_schema_journal (
            migration_id         varchar(64)  NOT NULL CONSTRAINT pk_nexus_schema_journal PRIMARY KEY,
            script_name          varchar(255) NOT NULL,
            description          text,
            checksum_sha256      char(64)     NOT NULL,
            down_script          text,
            down_checksum_sha256 char(64),
            applied_at           timestamptz  NOT NULL,
            module_version       varchar(32)  NOT NULL
        )
        """;

    public UpgradeEngineBuilder CreateUpgradeBuilder(IConnectionSource source, DbConnection connection) =>
        // DbUp draws its own connections from the store's pool; the caller's connection stays
        // free for what must outlive a script (the advisory lock).
        DeployChanges.To.PostgresqlDatabase(new PostgresqlConnectionManager(((PostgresConnectionSource)source).DataSource));

    public NexusException Translate(Exception error, StoreTarget target)
    {
        if (error is NexusException nexus)
        {
            return nexus;
        }

        if (error is PostgresException pg)
        {
            return pg.SqlState switch
            {
                "28P01" or "28000" => new NexusException(NexusErrorKind.AuthenticationFailed,
                    $"PostgreSQL at {target.DisplayName} refused the login for user '{target.UserName}': {pg.MessageText}.", target.DisplayName, error, hint: "Check the user name and password (-Credential)."),
                "3D000" => new NexusException(NexusErrorKind.DatabaseNotFound,
                    $"The database in {target.DisplayName} does not exist: {pg.MessageText}.", target.DisplayName, error, hint: "Create it first (createdb, or CREATE DATABASE)."),
                "57P03" => new NexusException(NexusErrorKind.ConnectionFailed,
                    $"PostgreSQL at {target.DisplayName} is starting up or shutting down.", target.DisplayName, error, hint: "Retry in a moment."),
                PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable => new NexusException(NexusErrorKind.Busy,
                    $"PostgreSQL at {target.DisplayName} kept ending this transaction to let other writers through ({pg.MessageText}, SQLSTATE {pg.SqlState}), also after retries; nothing of this call was stored.", target.DisplayName, error, hint: "Retry later, or write the same records from fewer sessions at once."),
                PostgresErrorCodes.DiskFull => new NexusException(NexusErrorKind.DiskFull,
                    $"The disk of the PostgreSQL server at {target.DisplayName} is full ({pg.MessageText}); nothing of this call was stored.", target.DisplayName, error, hint: "Free space on the server, then retry."),
                PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted => new NexusException(NexusErrorKind.StoreCorrupt,
                    $"PostgreSQL at {target.DisplayName} found damaged data: {pg.MessageText} (SQLSTATE {pg.SqlState}).", target.DisplayName, error, hint: "Ask the database administrator to check the server (REINDEX, restore from a backup)."),
                _ => new NexusException(NexusErrorKind.ConnectionFailed,
                    $"PostgreSQL at {target.DisplayName} failed: {pg.MessageText} (SQLSTATE {pg.SqlState}).", target.DisplayName, error),
            };
        }

        if (error is (NpgsqlException or SocketException or TimeoutException) && IsTimeout(error))
        {
            return new NexusException(NexusErrorKind.Timeout,
                $"PostgreSQL at {target.DisplayName} did not answer in time ({error.InnerException?.Message ?? error.Message}).", target.DisplayName, error, hint: "Check that the server is up and not overloaded; -CommandTimeout and -ConnectTimeout of Connect-NexusStore set how long to wait.");
        }

        if (error is NpgsqlException { InnerException: SocketException or TimeoutException or IOException } || error is SocketException or TimeoutException)
        {
            return new NexusException(NexusErrorKind.ConnectionFailed,
                $"PostgreSQL at {target.DisplayName} cannot be reached: {error.InnerException?.Message ?? error.Message}.", target.DisplayName, error, hint: "Check that the server runs and that host and port are right.");
        }

        if (error is NpgsqlException npgsql)
        {
            return new NexusException(NexusErrorKind.ConnectionFailed,
                $"PostgreSQL at {target.DisplayName} failed: {npgsql.Message}", target.DisplayName, error);
        }

        return new NexusException(NexusErrorKind.ConnectionFailed, $"PostgreSQL at {target.DisplayName}: {error.Message}", target.DisplayName, error);
    }

    public WriteFailure Classify(Exception error)
    {
        if (error is PostgresException pg)
        {
            return pg.SqlState switch
            {
                PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure => WriteFailure.Conflict,
                // ON CONFLICT matching no unique constraint, or an undefined column: the plain and
                // the tenant-keyed tables differ in exactly these (file_metadata's keys and tenant_id).
                "42P10" or "42703" => WriteFailure.LayoutChanged,
                // The server ended the session (restart, pg_terminate_backend) or the link dropped.
                "57P01" or "57P02" => WriteFailure.BrokenConnection,
                _ when pg.SqlState.StartsWith("08", StringComparison.Ordinal) => WriteFailure.BrokenConnection,
                _ => WriteFailure.Other,
            };
        }

        if (error is NpgsqlException && IsTimeout(error))
        {
            return WriteFailure.NoAnswer;
        }

        // A read or write on a socket that the server closed.
        return error is NpgsqlException { InnerException: EndOfStreamException or IOException or SocketException }
            ? WriteFailure.BrokenConnection
            : WriteFailure.Other;
    }

    private static bool IsTimeout(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return true;
            }
        }

        return false;
    }

    public void AddTimestamp(DbCommand command, string name, DateTime? value)
    {
        var parameter = new NpgsqlParameter(name, NpgsqlDbType.TimestampTz)
        {
            Value = TimestampValue(value),
        };
        command.Parameters.Add(parameter);
    }

    public object TimestampValue(DateTime? value) => value is null ? DBNull.Value : DbTime.Truncate(value.Value);

    public DateTime? ReadTimestamp(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DbTime.Truncate(reader.GetFieldValue<DateTime>(ordinal));
}
