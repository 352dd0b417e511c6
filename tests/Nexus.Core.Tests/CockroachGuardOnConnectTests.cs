using Nexus.Core.Connection;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;
using Nexus.Core.Tests.FakeServer;

namespace Nexus.Core.Tests;

/// <summary>
/// The CockroachDB guard runs when a store is opened, through the same door a cmdlet uses
/// (a postgresql:// URL parsed as a -Store argument, then <see cref="StoreOpener"/>), and costs
/// no query of its own. CockroachDB cannot be installed here, so a server on 127.0.0.1 that
/// speaks the start of the PostgreSQL protocol (<see cref="FakePostgresServer"/>) stands in for
/// it, and for a PostgreSQL that looks the same except for crdb_version.
/// </summary>
public sealed class CockroachGuardOnConnectTests
{
    private const string CockroachVersion = "CockroachDB CCL v23.1.8 (x86_64-pc-linux-gnu, built 2023/08/04 18:11:44, go1.19.10)";
    private const string PostgresVersion = "PostgreSQL 15.4 (Debian 15.4-1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit";

    [Fact]
    public void A_CockroachDB_server_is_refused_when_a_store_opens_and_is_sent_nothing()
    {
        // CockroachDB reports a PostgreSQL version as server_version; crdb_version gives it away.
        using var server = new FakePostgresServer(CockroachVersion, StartupParameters("13.0.0", crdbVersion: CockroachVersion));

        var error = Assert.Throws<NexusException>(() => Open(server));

        Assert.Equal(NexusErrorKind.UnsupportedServer, error.Kind);
        Assert.Equal($"127.0.0.1:{server.Port}/nexus", error.Target);
        Assert.Contains($"127.0.0.1:{server.Port}/nexus is CockroachDB v23.1.8, not PostgreSQL", error.Message);
        Assert.Contains("has not written anything there", error.Message);
        Assert.Equal(1, server.Sessions);   // it did connect: the refusal is the guard's, not a failed connection
        // Nothing was written, nor asked: the only statement is Npgsql's own type loading.
        Assert.All(server.Statements, s => Assert.True(FakePostgresServer.IsTypeLoading(s), $"the store sent: {s}"));
    }

    [Fact]
    public void A_look_alike_server_without_crdb_version_opens_and_the_guard_asks_no_query()
    {
        using var server = new FakePostgresServer(PostgresVersion, StartupParameters("15.4 (Debian 15.4-1)", crdbVersion: null));

        using (var store = Open(server))
        {
            Assert.Equal("PostgreSQL 15.4", store.ServerVersion);
            Assert.Null(store.SchemaRevision);   // no journal here: the revision was read past the guard
        }

        var sent = server.Statements.Where(s => !FakePostgresServer.IsTypeLoading(s)).ToList();
        // No version() round trip of the guard's: the first statement of the store is its journal lookup.
        Assert.DoesNotContain(sent, s => s.Contains("version()", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("to_regclass(", sent.FirstOrDefault() ?? "(nothing sent)");
    }

    // The ParameterStatus messages a PostgreSQL server sends at startup, plus CockroachDB's own.
    private static Dictionary<string, string> StartupParameters(string serverVersion, string? crdbVersion)
    {
        var parameters = new Dictionary<string, string>
        {
            ["server_version"] = serverVersion,
            ["server_encoding"] = "UTF8",
            ["client_encoding"] = "UTF8",
            ["DateStyle"] = "ISO, MDY",
            ["integer_datetimes"] = "on",
            ["TimeZone"] = "UTC",
            ["standard_conforming_strings"] = "on",
        };
        if (crdbVersion is not null)
        {
            parameters["crdb_version"] = crdbVersion;
        }

        return parameters;
    }

    // As a cmdlet opens a -Store given as a URL; short timeouts, so a fault fails fast.
    private static NexusStore Open(FakePostgresServer server) =>
        StoreOpener.Open(ConnectionStringParser.ParseArgument(
            $"postgresql://nexus@127.0.0.1:{server.Port}/nexus",
            new ConnectionOptions { ConnectTimeout = 3, CommandTimeout = 5 },
            resolvePath: null));
}
