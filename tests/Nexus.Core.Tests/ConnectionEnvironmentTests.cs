using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Tests;

/// <summary>No connection given: NEXUS_DATABASE_URL, then DATABASE_URL, then ./nexus.db.</summary>
[Collection(nameof(EnvironmentCollection))]
public sealed class ConnectionEnvironmentTests : IDisposable
{
    private static readonly ConnectionOptions Options = new() { BaseDirectory = "/srv/nexus" };
    private readonly Dictionary<string, string?> _saved = ConnectionStringParser.EnvironmentVariables.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Theory]
    [InlineData(null, null, "Sqlite: /srv/nexus/nexus.db")]
    [InlineData("", "  ", "Sqlite: /srv/nexus/nexus.db")]
    [InlineData(null, "sqlite:///from-database-url.db", "Sqlite: /srv/nexus/from-database-url.db")]
    [InlineData("sqlite:///from-nexus.db", "sqlite:///from-database-url.db", "Sqlite: /srv/nexus/from-nexus.db")]
    [InlineData("   ", "postgresql://app@db/nexus", "PostgreSql: db:5432/nexus")]
    [InlineData(" postgresql://app@db/nexus", null, "PostgreSql: db:5432/nexus")]
    public void FromEnvironment_takes_the_first_variable_that_is_set(string? nexusUrl, string? databaseUrl, string expected)
    {
        Environment.SetEnvironmentVariable("NEXUS_DATABASE_URL", nexusUrl);
        Environment.SetEnvironmentVariable("DATABASE_URL", databaseUrl);

        Assert.Equal(expected, ConnectionStringParser.FromEnvironment(Options).ToString());
    }

    [Fact]
    public void FromEnvironment_errors_do_not_show_the_password()
    {
        Environment.SetEnvironmentVariable("NEXUS_DATABASE_URL", "postgresql://app:Zq7Secret@db:port/nexus");

        var error = Assert.Throws<NexusException>(() => ConnectionStringParser.FromEnvironment(Options));

        Assert.Equal(NexusErrorKind.InvalidConnectionString, error.Kind);
        Assert.DoesNotContain("Zq7Secret", error.Message);
    }
}
