using Microsoft.Data.Sqlite;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Tests;

/// <summary>
/// What a user may type as a store (file path, URL, ADO.NET string) and what the parser makes of
/// it: provider, display name, file, user, and the real connection settings.
/// </summary>
public class ConnectionStringParserTests
{
    // Relative SQLite paths resolve against this folder, never against the test runner's.
    private const string Base = "/srv/nexus";
    private static readonly ConnectionOptions Options = new() { BaseDirectory = Base };

    private static StoreTarget Parse(string input, ConnectionOptions? options = null) =>
        ConnectionStringParser.Parse(input, options ?? Options);

    private static NpgsqlConnectionStringBuilder Npgsql(StoreTarget target) => new(target.ConnectionString);

    // ---- SQLite URLs (SQLAlchemy's forms) ----

    [Theory]
    [InlineData("sqlite:///nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("sqlite:///data/nexus.db", "/srv/nexus/data/nexus.db")]
    [InlineData("sqlite:////var/lib/nexus.db", "/var/lib/nexus.db")]
    [InlineData("sqlite+pysqlite:///nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("SQLITE:///nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("sqlite:///nexus.db?mode=ro", "/srv/nexus/nexus.db")]
    [InlineData("sqlite:///my%20store.db", "/srv/nexus/my store.db")]
    [InlineData("sqlite:///./a/../nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("  sqlite:///nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("\tsqlite:///nexus.db\n", "/srv/nexus/nexus.db")]
    public void SqliteUrl_names_a_file(string url, string expectedFile)
    {
        var target = Parse(url);

        Assert.Equal(StoreProvider.Sqlite, target.Provider);
        Assert.Equal(expectedFile, target.FilePath);
        Assert.Equal(expectedFile, target.DisplayName);
        Assert.False(target.IsInMemory);
        Assert.True(target.IsEmbedded);
        var builder = new SqliteConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(expectedFile, builder.DataSource);
        Assert.Equal(SqliteOpenMode.ReadWriteCreate, builder.Mode);
        Assert.True(builder.ForeignKeys);
    }

    [Theory]
    [InlineData("sqlite://")]
    [InlineData("sqlite:///")]
    [InlineData("sqlite:///:memory:")]
    [InlineData("sqlite+pysqlite://")]
    [InlineData("sqlite://?cache=shared")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=anything;Mode=Memory")]
    public void Memory_forms_give_a_private_shared_cache_database(string input)
    {
        var target = Parse(input);

        Assert.Equal(StoreProvider.Sqlite, target.Provider);
        Assert.True(target.IsInMemory);
        Assert.Null(target.FilePath);
        Assert.Equal(":memory:", target.DisplayName);
        var builder = new SqliteConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(SqliteOpenMode.Memory, builder.Mode);
        Assert.Equal(SqliteCacheMode.Shared, builder.Cache);
        Assert.StartsWith("nexus-memory-", builder.DataSource);
    }

    [Fact]
    public void Two_memory_stores_never_share_data()
    {
        Assert.NotEqual(Parse("sqlite://").ConnectionString, Parse("sqlite://").ConnectionString);
    }

    [Theory]
    [InlineData("sqlite://host/nexus.db", "names a host")]
    [InlineData("sqlite://./nexus.db", "names a host")]
    [InlineData("sqlite:///admin:hunter2secret@db.example/nexus.db", "carries a user and password")]
    public void SqliteUrl_refusals_say_how_to_write_it(string url, string expected)
    {
        var error = Assert.Throws<NexusException>(() => Parse(url));

        Assert.Equal(NexusErrorKind.InvalidConnectionString, error.Kind);
        Assert.Contains(expected, error.Message);
        Assert.Contains("sqlite:///nexus.db", error.Message);
        Assert.DoesNotContain("hunter2secret", error.Message);
    }

    // ---- file paths (-Path, ForFile) ----

    [Theory]
    [InlineData("nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("./nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("sub/dir/x.db", "/srv/nexus/sub/dir/x.db")]
    [InlineData("../other/x.db", "/srv/other/x.db")]
    [InlineData("/var/lib/nexus/x.db", "/var/lib/nexus/x.db")]
    [InlineData("/var/lib//nexus/./x.db", "/var/lib/nexus/x.db")]
    [InlineData("name with spaces.db", "/srv/nexus/name with spaces.db")]
    [InlineData("data;Mode=Memory.db", "/srv/nexus/data;Mode=Memory.db")]
    public void ForFile_resolves_against_the_base_directory(string path, string expected)
    {
        var target = ConnectionStringParser.ForFile(path, Options);

        Assert.Equal(StoreProvider.Sqlite, target.Provider);
        Assert.Equal(expected, target.FilePath);
        // The path is one value of the connection string, never parsed as more keywords.
        Assert.Equal(expected, new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
    }

    [Fact]
    public void ForFile_memory_is_an_in_memory_store()
    {
        Assert.True(ConnectionStringParser.ForFile(":memory:", Options).IsInMemory);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void ForFile_refuses_an_empty_path(string path)
    {
        var error = Assert.Throws<NexusException>(() => ConnectionStringParser.ForFile(path, Options));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData(5, 5)]
    [InlineData(120, 120)]
    public void ForFile_busy_wait_follows_the_command_timeout(int? commandTimeout, int expected)
    {
        var target = ConnectionStringParser.ForFile("x.db", new ConnectionOptions { BaseDirectory = Base, CommandTimeout = commandTimeout });

        Assert.Equal(expected, new SqliteConnectionStringBuilder(target.ConnectionString).DefaultTimeout);
    }

    // ---- PostgreSQL URLs ----

    [Theory]
    [InlineData("postgresql://app@db.example:5432/nexus", "db.example:5432/nexus", "app")]
    [InlineData("postgres://app@db.example/nexus", "db.example:5432/nexus", "app")]
    [InlineData("pgsql://app@db.example:6432/nexus", "db.example:6432/nexus", "app")]
    [InlineData("postgresql+psycopg2://app@db.example/nexus", "db.example:5432/nexus", "app")]
    [InlineData("POSTGRESQL://app@db.example/nexus", "db.example:5432/nexus", "app")]
    [InlineData("postgresql://app:pw@db.example/nexus", "db.example:5432/nexus", "app")]
    [InlineData("postgresql://db.example/nexus", "db.example:5432/nexus", null)]
    [InlineData("postgresql://app@db.example", "db.example:5432/app", "app")]
    [InlineData("postgresql://db.example", "db.example:5432/postgres", null)]
    [InlineData("postgresql://app@[::1]:5433/nexus", "::1:5433/nexus", "app")]
    [InlineData("postgresql://app@127.0.0.1/nexus", "127.0.0.1:5432/nexus", "app")]
    [InlineData("postgresql://a%40corp@db.example/my%20db", "db.example:5432/my db", "a@corp")]
    [InlineData("  postgresql://app@db.example/nexus", "db.example:5432/nexus", "app")]
    [InlineData("\r\npostgresql://app@db.example/nexus  ", "db.example:5432/nexus", "app")]
    public void PostgresUrl_gives_host_port_database_and_user(string url, string display, string? user)
    {
        var target = Parse(url);

        Assert.Equal(StoreProvider.PostgreSql, target.Provider);
        Assert.Equal(display, target.DisplayName);
        Assert.Equal(user, target.UserName);
        Assert.Null(target.FilePath);
        Assert.True(target.IsPooled);
    }

    [Theory]
    [InlineData("postgresql://app:s3cret@db/nexus", "s3cret")]
    [InlineData("postgresql://app:p%40ss%2Fw%3Fd@db/nexus", "p@ss/w?d")]
    [InlineData("postgresql://app:with:colon@db/nexus", "with:colon")]
    // An empty password is no password to the driver.
    [InlineData("postgresql://app:@db/nexus", null)]
    public void PostgresUrl_password_is_decoded_into_the_connection(string url, string? password)
    {
        var builder = Npgsql(Parse(url));

        Assert.Equal(password, builder.Password);
        Assert.False(builder.PersistSecurityInfo);
    }

    [Fact]
    public void PostgresUrl_failover_hosts_keep_their_ports()
    {
        var target = Parse("postgresql://app@db1:5433,db2,db3:6000/nexus");

        Assert.Equal("db1:5433,db2,db3:6000/nexus", target.DisplayName);
        Assert.Equal("db1:5433,db2,db3:6000", Npgsql(target).Host);
        Assert.Equal("db1:5433,db2,db3:6000", ConnectionStringParser.HostAndPort(target.ConnectionString));
    }

    [Theory]
    [InlineData("sslmode=require", "SSL Mode", "Require")]
    [InlineData("sslmode=verify-full", "SSL Mode", "VerifyFull")]
    [InlineData("sslmode=DISABLE", "SSL Mode", "Disable")]
    [InlineData("application_name=nightly%20job", "Application Name", "nightly job")]
    [InlineData("application_name=nightly+job", "Application Name", "nightly job")]
    [InlineData("application_name=ops@box", "Application Name", "ops@box")]
    [InlineData("command_timeout=90", "Command Timeout", "90")]
    [InlineData("search_path=tenant_a", "Search Path", "tenant_a")]
    [InlineData("target_session_attrs=read-write", "Target Session Attributes", "read-write")]
    [InlineData("max_pool_size=17", "Maximum Pool Size", "17")]
    [InlineData("pool_size=12", "Maximum Pool Size", "12")]
    [InlineData("dbname=other", "Database", "other")]
    [InlineData("port=6543", "Port", "6543")]
    public void PostgresUrl_query_options_map_to_driver_settings(string query, string keyword, string expected)
    {
        var builder = Npgsql(Parse("postgresql://app@db.example/nexus?" + query));

        Assert.Equal(expected, Convert.ToString(builder[keyword], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("postgresql://app@db/nexus?frobnicate=1", "The URL option 'frobnicate' is not supported")]
    [InlineData("postgresql://app@db/nexus?sslmode=maybe", "sslmode 'maybe' is not one of")]
    [InlineData("postgresql://app@db/nexus?command_timeout=soon", "The URL option 'command_timeout=soon' is not valid")]
    [InlineData("postgresql://app@db:0/nexus", "is not a number from 1 to 65535")]
    [InlineData("postgresql://app@db:65536/nexus", "is not a number from 1 to 65535")]
    [InlineData("postgresql://app@db:port/nexus", "is not a number from 1 to 65535")]
    [InlineData("postgresql://app@:5432/nexus", "has no host name")]
    [InlineData("postgresql://app@[::1/nexus", "unclosed '['")]
    [InlineData("postgresql:///nexus", "names no host")]
    [InlineData("postgresql://app@db/na@me", "has an '@' after its host part")]
    public void PostgresUrl_refusals_are_invalid_connection_strings(string url, string expected)
    {
        var error = Assert.Throws<NexusException>(() => Parse(url));

        Assert.Equal(NexusErrorKind.InvalidConnectionString, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    // ---- ADO.NET connection strings ----

    [Theory]
    [InlineData("Host=db.example;Database=nexus;Username=app", "db.example:5432/nexus", "app")]
    [InlineData("Server=db.example;Port=6432;Database=nexus;User ID=app", "db.example:6432/nexus", "app")]
    [InlineData("host=db.example;database=nexus;username=app", "db.example:5432/nexus", "app")]
    [InlineData("Host=db.example;Username=app", "db.example:5432/app", "app")]
    [InlineData("Host=db.example", "db.example:5432/postgres", null)]
    [InlineData("  Host=db.example;Database=nexus", "db.example:5432/nexus", null)]
    [InlineData("Host=db.example;Database=nexus;Password=\"pa;ss\"", "db.example:5432/nexus", null)]
    public void AdoNet_with_host_keywords_is_postgres(string text, string display, string? user)
    {
        var target = Parse(text);

        Assert.Equal(StoreProvider.PostgreSql, target.Provider);
        Assert.Equal(display, target.DisplayName);
        Assert.Equal(user, target.UserName);
    }

    [Fact]
    public void AdoNet_quoted_password_keeps_its_semicolon()
    {
        Assert.Equal("pa;ss", Npgsql(Parse("Host=db;Database=nexus;Password=\"pa;ss\"")).Password);
    }

    [Theory]
    [InlineData("Data Source=nexus.db", "/srv/nexus/nexus.db")]
    [InlineData("DataSource=/var/lib/x.db", "/var/lib/x.db")]
    [InlineData("Filename=sub/x.db", "/srv/nexus/sub/x.db")]
    [InlineData("Data Source=x.db;Cache=Shared", "/srv/nexus/x.db")]
    [InlineData(" Data Source=x.db", "/srv/nexus/x.db")]
    public void AdoNet_with_data_source_is_sqlite(string text, string file)
    {
        var target = Parse(text);

        Assert.Equal(StoreProvider.Sqlite, target.Provider);
        Assert.Equal(file, target.FilePath);
    }

    [Theory]
    [InlineData("Foo=bar", "names no database")]
    [InlineData("Timeout=5", "names no database")]
    [InlineData("Host=db;Frobnicate=1", "The PostgreSQL connection string is not valid")]
    [InlineData("Data Source=x.db;Frobnicate=1", "The SQLite connection string is not valid")]
    [InlineData("Host=db;Port=abc", "The PostgreSQL connection string is not valid")]
    [InlineData("Host=db;Password=\"unclosed", "could not be parsed")]
    public void AdoNet_refusals_are_invalid_connection_strings(string text, string expected)
    {
        var error = Assert.Throws<NexusException>(() => Parse(text));

        Assert.Equal(NexusErrorKind.InvalidConnectionString, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    // ---- text that is none of them ----

    [Theory]
    [InlineData("", NexusErrorKind.InvalidConnectionString, "is empty")]
    [InlineData("   ", NexusErrorKind.InvalidConnectionString, "is empty")]
    [InlineData("nexus.db", NexusErrorKind.InvalidConnectionString, "neither a URL nor a connection string")]
    [InlineData("/var/lib/nexus.db", NexusErrorKind.InvalidConnectionString, "neither a URL nor a connection string")]
    [InlineData("mysql://app@db/nexus", NexusErrorKind.UnsupportedScheme, "The URL scheme 'mysql' is not supported")]
    [InlineData("http://db.example/nexus", NexusErrorKind.UnsupportedScheme, "The URL scheme 'http' is not supported")]
    [InlineData("mssql+pyodbc://app@db/nexus", NexusErrorKind.UnsupportedScheme, "The URL scheme 'mssql+pyodbc' is not supported")]
    [InlineData("postgres:pw@host/db", NexusErrorKind.InvalidConnectionString, "looks like a URL without its '//'")]
    [InlineData("postgresql:/user:pw@host/db", NexusErrorKind.InvalidConnectionString, "looks like a URL without its '//'")]
    public void Wrong_text_gets_a_clear_error(string input, NexusErrorKind kind, string expected)
    {
        var error = Assert.Throws<NexusException>(() => Parse(input));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("postgresql://u@h/db", true)]
    [InlineData("  sqlite:///x.db", true)]
    [InlineData("postgres:pw@host/db", true)]
    [InlineData("user:secret@host", true)]
    [InlineData("nexus.db", false)]
    [InlineData("/var/lib/nexus.db", false)]
    [InlineData(@"C:\data\me@corp\nexus.db", false)]
    [InlineData(@"\\server\share\a:b@c.db", false)]
    [InlineData("Host=db;Password=a:b@c", false)]
    [InlineData("a@b:c", false)]
    public void LooksLikeUrl(string text, bool expected)
    {
        Assert.Equal(expected, ConnectionStringParser.LooksLikeUrl(text));
    }

    // ---- secrets never shown ----

    public static TheoryData<string> MalformedWithSecret => new()
    {
        "postgresql://app:Zq7Secret@db:notaport/nexus",
        "postgresql://app:Zq7/Secret@db/nexus",
        "postgresql://app:Zq7?Secret@db/nexus",
        "postgresql://app:Zq7Secret@db/nexus?frobnicate=1",
        "postgresql://app:Zq7Secret@db/nexus?sslmode=sometimes",
        "postgresql://app:Zq7Secret@:5432/nexus",
        "postgres:Zq7Secret@db/nexus",
        "mysql://app:Zq7Secret@db/nexus",
        "sqlite:///app:Zq7Secret@db/nexus.db",
        "Host=db;Password=Zq7;Secret;Database=nexus",
        "Host=db;Password=Zq7Secret;Frobnicate=1",
        "Host=db;Password=Zq7Secret;Port=abc",
    };

    [Theory]
    [MemberData(nameof(MalformedWithSecret))]
    public void No_error_quotes_the_password(string input)
    {
        var error = Assert.Throws<NexusException>(() => Parse(input));

        foreach (var piece in new[] { "Zq7Secret", "Zq7", "Secret" })
        {
            Assert.DoesNotContain(piece, error.Message);
            Assert.DoesNotContain(piece, error.Target as string ?? string.Empty);
        }
    }

    [Fact]
    public void Password_after_an_unquoted_semicolon_gets_advice_not_its_pieces()
    {
        var error = Assert.Throws<NexusException>(() => Parse("Host=db;Password=pa;sswordtail;Database=nexus"));

        Assert.Contains("put it in double quotes", error.Message);
        Assert.DoesNotContain("sswordtail", error.Message);
    }

    [Theory]
    [InlineData("postgresql://app:Zq7Secret@db/nexus")]
    [InlineData("Host=db;Database=nexus;Username=app;Password=Zq7Secret")]
    public void What_a_target_shows_holds_no_password(string input)
    {
        var target = Parse(input);

        Assert.DoesNotContain("Zq7Secret", target.ToString());
        Assert.DoesNotContain("Zq7Secret", target.DisplayName);
        Assert.Equal("Zq7Secret", Npgsql(target).Password);
    }

    // ---- options from parameters ----

    [Fact]
    public void Credential_replaces_user_and_password_of_the_text()
    {
        var target = Parse("postgresql://url_user:url_pw@db/nexus", new ConnectionOptions { UserName = "cred_user", Password = "cred_pw" });

        Assert.Equal("cred_user", target.UserName);
        Assert.Equal("cred_pw", Npgsql(target).Password);
    }

    [Theory]
    [InlineData(null, null, 100, 0)]
    [InlineData(20, null, 20, 0)]
    [InlineData(20, 5, 20, 5)]
    [InlineData(null, 3, 100, 3)]
    public void Pool_sizes_come_from_options(int? max, int? min, int expectedMax, int expectedMin)
    {
        var builder = Npgsql(Parse("postgresql://app@db/nexus", new ConnectionOptions { MaxPoolSize = max, MinPoolSize = min }));

        Assert.Equal(expectedMax, builder.MaxPoolSize);
        Assert.Equal(expectedMin, builder.MinPoolSize);
    }

    [Fact]
    public void Pool_floor_above_ceiling_is_refused()
    {
        var error = Assert.Throws<NexusException>(() => Parse("postgresql://app@db/nexus", new ConnectionOptions { MaxPoolSize = 2, MinPoolSize = 5 }));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("MinPoolSize (5) is larger than MaxPoolSize (2)", error.Message);
    }

    [Theory]
    // connect timeout: -ConnectTimeout, else the URL's, else min(15, command timeout)
    [InlineData("postgresql://app@db/nexus", null, null, 15)]
    [InlineData("postgresql://app@db/nexus", 5, null, 5)]
    [InlineData("postgresql://app@db/nexus", 60, null, 15)]
    [InlineData("postgresql://app@db/nexus", 60, 40, 40)]
    [InlineData("postgresql://app@db/nexus?connect_timeout=50", 5, null, 50)]
    [InlineData("postgresql://app@db/nexus?connect_timeout=50", null, 7, 7)]
    public void Connect_timeout_is_bounded_for_hung_servers(string url, int? commandTimeout, int? connectTimeout, int expected)
    {
        var builder = Npgsql(Parse(url, new ConnectionOptions { CommandTimeout = commandTimeout, ConnectTimeout = connectTimeout }));

        Assert.Equal(expected, builder.Timeout);
        Assert.Equal(-1, builder.CancellationTimeout);
    }

    [Fact]
    public void Behind_a_transaction_pooler_no_reset_and_no_prepare()
    {
        var builder = Npgsql(Parse("postgresql://app@db/nexus", new ConnectionOptions { BehindTransactionPooler = true }));

        Assert.True(builder.NoResetOnClose);
        Assert.Equal(0, builder.MaxAutoPrepare);
    }

    [Fact]
    public void Direct_migration_connection_takes_host_port_and_database_of_the_migration_url()
    {
        var store = Parse("postgresql://app:pw@bouncer:6432/nexus", new ConnectionOptions { BehindTransactionPooler = true });

        var direct = new NpgsqlConnectionStringBuilder(
            ConnectionStringParser.DirectMigrationConnectionString(store, "postgresql://owner@primary:5432/nexus_main", new ConnectionOptions()));

        Assert.Equal("primary", direct.Host);
        Assert.Equal(5432, direct.Port);
        Assert.Equal("nexus_main", direct.Database);
        Assert.Equal("owner", direct.Username);
        Assert.Equal("pw", direct.Password);
        Assert.False(direct.NoResetOnClose);
        Assert.Equal(0, direct.MaxAutoPrepare);
    }

    [Fact]
    public void ReadPool_reports_the_effective_pool()
    {
        var target = Parse("postgresql://app@db/nexus", new ConnectionOptions { MaxPoolSize = 9, MinPoolSize = 2, PoolTimeout = 4 });

        var pool = ConnectionStringParser.ReadPool(target.ConnectionString);

        // Lifetimes not given keep the driver's defaults (an hour, five minutes).
        Assert.Equal(new PoolSettings(9, 2, 4, 3600, 300), pool);
    }

    [Fact]
    public void ForDirectPostgres_names_host_port_database()
    {
        var target = ConnectionStringParser.ForDirectPostgres("Host=primary;Port=5433;Database=nexus;Username=owner");

        Assert.Equal(StoreProvider.PostgreSql, target.Provider);
        Assert.Equal("primary:5433/nexus", target.DisplayName);
        Assert.Equal("owner", target.UserName);
    }
}
