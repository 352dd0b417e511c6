using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Refuses a CockroachDB server when a store is opened on it. It accepts most of what the store
/// sends, so without this check a store would half-work: migrations would run without their lock
/// and stop halfway, and copies would fail after writing. Called where the store first reads the
/// server's version (<see cref="PostgresDialect.ReadServerVersion"/>), so that every cmdlet that
/// opens a store (Connect-NexusStore, migrations, transfer sources and destinations) is covered.
/// </summary>
internal static class CockroachGuard
{
    /// <summary>
    /// Throws the refusal when <paramref name="connection"/> is to CockroachDB. Reads only the
    /// startup parameters Npgsql already holds (crdb_version, and server_version, the version the
    /// dialect reports), so opening a store costs no extra round trip: every CockroachDB release
    /// since 1.0 sends crdb_version (docs/COCKROACHDB.md).
    /// </summary>
    public static void RefuseIfCockroach(NpgsqlConnection connection)
    {
        var parameters = connection.PostgresParameters;
        parameters.TryGetValue(CockroachDetector.ParameterName, out var crdbVersion);
        parameters.TryGetValue("server_version", out var serverVersion);
        if (CockroachDetector.IsCockroach(serverVersion, crdbVersion))
        {
            throw Refusal($"{connection.Host}:{connection.Port}/{connection.Database}", CockroachDetector.Release(serverVersion, crdbVersion));
        }
    }

    /// <summary>The error for a CockroachDB server: what differs for this module, and what to do.</summary>
    public static NexusException Refusal(string server, string? release) => new(
        NexusErrorKind.UnsupportedServer,
        $"""
        The server at {server} is CockroachDB{(release is null ? "" : " " + release)}, not PostgreSQL; this module does not support it and has not written anything there. Where the store depends on PostgreSQL, CockroachDB differs:
          - session advisory locks (pg_try_advisory_lock) are accepted but lock nothing, so the migration lock would not keep two migrations apart;
          - GIN indexes with the jsonb_path_ops operator class (the attribute indexes of migrations 0001 and 0003) are not supported;
          - schema changes (DDL) after writes in the same transaction fail, and the bulk copy into a store drops and rebuilds its keys and indexes around the rows in one transaction;
          - COPY ... TO in binary format is not implemented (binary COPY FROM, which Copy-NexusData and Import-NexusData write with, is), so a bulk reader for export and copy cannot be shared with PostgreSQL;
          - transactions run SERIALIZABLE by default and the server asks clients to retry them (SQLSTATE 40001) far more often than PostgreSQL does; migrations and copies do not retry.
        Use PostgreSQL (or Citus, which is PostgreSQL, for a store larger than one server). docs/COCKROACHDB.md in the module's source says what a CockroachDB dialect would have to change.
        """,
        server);
}
