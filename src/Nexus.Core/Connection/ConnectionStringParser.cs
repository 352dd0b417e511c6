using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Connection;

/// <summary>
/// Turns what a user types into a <see cref="StoreTarget"/>: the URL forms the original system's
/// users already have (sqlite:///…, postgresql://…, postgresql+psycopg2://…) or a plain ADO.NET
/// connection string. The provider is detected, never asked for.
/// </summary>
public static class ConnectionStringParser
{
    /// <summary>The environment variables read, in order, when no connection is given.</summary>
    public static readonly string[] EnvironmentVariables = ["NEXUS_DATABASE_URL", "DATABASE_URL"];

    /// <summary>The embedded default when nothing else is given.</summary>
    public const string DefaultSqlitePath = "nexus.db";

    // URL query options a PostgreSQL URL may carry, mapped to Npgsql keywords.
    private static readonly Dictionary<string, string> PostgresQueryOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["connect_timeout"] = "Timeout",
        ["command_timeout"] = "Command Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["search_path"] = "Search Path",
        ["keepalives_idle"] = "Keepalive",
        ["client_encoding"] = "Client Encoding",
        ["host"] = "Host",
        ["port"] = "Port",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["pool_size"] = "Maximum Pool Size",
        ["max_pool_size"] = "Maximum Pool Size",
        ["min_pool_size"] = "Minimum Pool Size",
    };

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = "Disable",
        ["allow"] = "Allow",
        ["prefer"] = "Prefer",
        ["require"] = "Require",
        ["verify-ca"] = "VerifyCA",
        ["verify-full"] = "VerifyFull",
    };

    /// <summary>
    /// The connection from the environment (NEXUS_DATABASE_URL, then DATABASE_URL), or the
    /// embedded default ./nexus.db.
    /// </summary>
    public static StoreTarget FromEnvironment(ConnectionOptions options)
    {
        foreach (var name in EnvironmentVariables)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return Parse(value, options);
            }
        }

        return ForSqliteFile(DefaultSqlitePath, options);
    }

    /// <summary>Parses a URL or ADO.NET connection string.</summary>
    public static StoreTarget Parse(string input, ConnectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                "The connection string is empty. Give a URL such as 'sqlite:///nexus.db' or 'postgresql://user@host:5432/nexus', or use -Path for a SQLite file.");
        }

        var text = input.Trim();
        var schemeMatch = Regex.Match(text, @"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://");
        if (schemeMatch.Success)
        {
            var scheme = schemeMatch.Groups["scheme"].Value.ToLowerInvariant();
            // SQLAlchemy names a driver after '+': postgresql+psycopg2, sqlite+pysqlite.
            var dialect = scheme.Split('+')[0];
            return dialect switch
            {
                "sqlite" => ParseSqliteUrl(text, schemeMatch.Length, options),
                "postgresql" or "postgres" or "pgsql" => ParsePostgresUrl(text, schemeMatch.Length, options),
                _ => throw new NexusException(NexusErrorKind.UnsupportedScheme,
                    $"The URL scheme '{scheme}' is not supported. Use 'sqlite:///path.db' for an embedded store or 'postgresql://user@host:5432/database' for PostgreSQL.",
                    Redact(text)),
            };
        }

        if (!text.Contains('='))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                $"'{Redact(text)}' is neither a URL nor a connection string. Use -Path for a SQLite file, or a URL such as 'sqlite:///nexus.db' or 'postgresql://user@host/nexus'.",
                Redact(text));
        }

        return ParseAdoNet(text, options);
    }

    /// <summary>A SQLite store in a file (created, with its folders, when first opened).</summary>
    public static StoreTarget ForSqliteFile(string path, ConnectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, "The SQLite path is empty. Give a file path such as ./nexus.db.");
        }

        if (path == ":memory:")
        {
            return ForSqliteMemory(options);
        }

        var baseDir = options.BaseDirectory ?? Directory.GetCurrentDirectory();
        string full;
        try
        {
            full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"'{path}' is not a valid file path: {e.Message}", path);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = options.CommandTimeout ?? 30,
        };
        return new StoreTarget(StoreProvider.Sqlite, builder.ToString(), full) { FilePath = full };
    }

    private static StoreTarget ForSqliteMemory(ConnectionOptions options)
    {
        // A named shared-cache database lives as long as one connection to it is open; the
        // store keeps one open, so every connection of this store sees the same data.
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = "nexus-memory-" + Guid.NewGuid().ToString("N"),
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
            ForeignKeys = true,
            Pooling = false,
            DefaultTimeout = options.CommandTimeout ?? 30,
        };
        return new StoreTarget(StoreProvider.Sqlite, builder.ToString(), ":memory:") { IsInMemory = true };
    }

    private static StoreTarget ParseSqliteUrl(string url, int prefixLength, ConnectionOptions options)
    {
        // SQLAlchemy's forms: sqlite:///relative.db, sqlite:////absolute.db, sqlite:///:memory:,
        // and sqlite:// alone for memory. Anything after '?' is a driver option we do not need.
        var rest = url[prefixLength..];
        var query = rest.IndexOf('?');
        if (query >= 0)
        {
            rest = rest[..query];
        }

        if (rest.Length == 0 || rest == "/" || rest == "/:memory:" || rest == ":memory:")
        {
            return ForSqliteMemory(options);
        }

        if (!rest.StartsWith('/'))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                $"The SQLite URL '{url}' names a host. Use three slashes for a relative path (sqlite:///nexus.db) or four for an absolute one (sqlite:////var/lib/nexus.db).",
                url);
        }

        var path = Uri.UnescapeDataString(rest[1..]);
        // sqlite:///C:/data/nexus.db is an absolute Windows path behind three slashes.
        return ForSqliteFile(path, options);
    }

    private static StoreTarget ParsePostgresUrl(string url, int prefixLength, ConnectionOptions options)
    {
        var rest = url[prefixLength..];
        string? queryText = null;
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            queryText = rest[(q + 1)..];
            rest = rest[..q];
        }

        string? database = null;
        var slash = rest.IndexOf('/');
        if (slash >= 0)
        {
            database = Uri.UnescapeDataString(rest[(slash + 1)..]);
            rest = rest[..slash];
        }

        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            password = colon >= 0 ? Uri.UnescapeDataString(userInfo[(colon + 1)..]) : null;
        }

        var builder = new NpgsqlConnectionStringBuilder();
        if (rest.Length > 0)
        {
            var (hosts, port) = ParseHostList(rest, url);
            builder.Host = hosts;
            if (port is not null)
            {
                builder.Port = port.Value;
            }
        }

        if (!string.IsNullOrEmpty(database))
        {
            builder.Database = database;
        }

        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }

        if (password is not null)
        {
            builder.Password = password;
        }

        if (!string.IsNullOrEmpty(queryText))
        {
            foreach (var pair in queryText.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
                var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')) : string.Empty;
                if (!PostgresQueryOptions.TryGetValue(key, out var keyword))
                {
                    throw new NexusException(NexusErrorKind.InvalidConnectionString,
                        $"The URL option '{key}' is not supported. Supported options: {string.Join(", ", PostgresQueryOptions.Keys.Order())}.",
                        Redact(url));
                }

                if (keyword == "SSL Mode")
                {
                    value = SslModes.TryGetValue(value, out var mode) ? mode : throw new NexusException(
                        NexusErrorKind.InvalidConnectionString,
                        $"sslmode '{value}' is not one of {string.Join(", ", SslModes.Keys)}.", Redact(url));
                }

                try
                {
                    builder[keyword] = value;
                }
                catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
                {
                    throw new NexusException(NexusErrorKind.InvalidConnectionString,
                        $"The URL option '{key}={value}' is not valid: {e.Message}", Redact(url));
                }
            }
        }

        return ForPostgres(builder, options);
    }

    private static (string Hosts, int? Port) ParseHostList(string hostPart, string url)
    {
        // host, host:port, [::1]:port, or a comma-separated list of them (failover hosts).
        var entries = new List<(string Host, int? Port)>();
        foreach (var entry in hostPart.Split(','))
        {
            string host;
            string? portText = null;
            if (entry.StartsWith('['))
            {
                var close = entry.IndexOf(']');
                if (close < 0)
                {
                    throw new NexusException(NexusErrorKind.InvalidConnectionString, $"The host '{entry}' has an unclosed '['.", Redact(url));
                }

                host = entry[1..close];
                if (close + 1 < entry.Length && entry[close + 1] == ':')
                {
                    portText = entry[(close + 2)..];
                }
            }
            else
            {
                var colon = entry.LastIndexOf(':');
                host = colon >= 0 ? entry[..colon] : entry;
                portText = colon >= 0 ? entry[(colon + 1)..] : null;
            }

            if (host.Length == 0)
            {
                throw new NexusException(NexusErrorKind.InvalidConnectionString,
                    $"The URL '{Redact(url)}' has no host name. Write postgresql://user@host:5432/database.", Redact(url));
            }

            int? port = null;
            if (portText is not null)
            {
                if (!int.TryParse(portText, out var p) || p is < 1 or > 65535)
                {
                    throw new NexusException(NexusErrorKind.InvalidConnectionString,
                        $"The port '{portText}' in '{Redact(url)}' is not a number from 1 to 65535.", Redact(url));
                }

                port = p;
            }

            entries.Add((host, port));
        }

        if (entries.Count == 1)
        {
            return (entries[0].Host, entries[0].Port);
        }

        // Npgsql takes "host:port" items in its Host list for failover.
        return (string.Join(",", entries.Select(e => e.Port is null ? e.Host : $"{e.Host}:{e.Port}")), null);
    }

    private static StoreTarget ParseAdoNet(string text, ConnectionOptions options)
    {
        DbConnectionStringBuilder generic;
        try
        {
            generic = new DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException)
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                "The connection string could not be parsed: write it as 'Key=Value;Key=Value' (for example 'Host=db;Database=nexus;Username=app' or 'Data Source=./nexus.db').");
        }

        bool Has(params string[] keys) => keys.Any(generic.ContainsKey);
        if (Has("Host", "Server", "Port", "Username", "User ID", "UserId", "Database"))
        {
            NpgsqlConnectionStringBuilder npgsql;
            try
            {
                npgsql = new NpgsqlConnectionStringBuilder(text);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                throw new NexusException(NexusErrorKind.InvalidConnectionString,
                    $"The PostgreSQL connection string is not valid: {ScrubMessage(e.Message)}");
            }

            return ForPostgres(npgsql, options);
        }

        if (Has("Data Source", "DataSource", "Filename"))
        {
            SqliteConnectionStringBuilder sqlite;
            try
            {
                sqlite = new SqliteConnectionStringBuilder(text);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                throw new NexusException(NexusErrorKind.InvalidConnectionString,
                    $"The SQLite connection string is not valid: {ScrubMessage(e.Message)}");
            }

            if (sqlite.Mode == SqliteOpenMode.Memory || sqlite.DataSource == ":memory:")
            {
                return ForSqliteMemory(options);
            }

            return ForSqliteFile(sqlite.DataSource, options);
        }

        throw new NexusException(NexusErrorKind.InvalidConnectionString,
            "The connection string names no database: give 'Host=…;Database=…' for PostgreSQL or 'Data Source=…' for SQLite.");
    }

    private static StoreTarget ForPostgres(NpgsqlConnectionStringBuilder builder, ConnectionOptions options)
    {
        if (options.UserName is not null)
        {
            builder.Username = options.UserName;
        }

        if (options.Password is not null)
        {
            builder.Password = options.Password;
        }

        if (options.MaxPoolSize is { } max)
        {
            builder.MaxPoolSize = max;
        }

        if (options.MinPoolSize is { } min)
        {
            builder.MinPoolSize = min;
        }

        if (options.CommandTimeout is { } timeout)
        {
            builder.CommandTimeout = timeout;
        }

        ApplyPoolOptions(builder, options);

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                "The PostgreSQL connection names no host. Write postgresql://user@host:5432/database or 'Host=…;Database=…'.");
        }

        if (builder.MinPoolSize > builder.MaxPoolSize)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"MinPoolSize ({builder.MinPoolSize}) is larger than MaxPoolSize ({builder.MaxPoolSize}).");
        }

        // Never let Npgsql keep the password reachable through the connection's ConnectionString.
        builder.PersistSecurityInfo = false;
        var database = string.IsNullOrEmpty(builder.Database) ? builder.Username ?? "postgres" : builder.Database;
        var display = builder.Host!.Contains(',') ? $"{builder.Host}/{database}" : $"{builder.Host}:{builder.Port}/{database}";
        return new StoreTarget(StoreProvider.PostgreSql, builder.ConnectionString, display) { UserName = builder.Username };
    }

    private static void ApplyPoolOptions(NpgsqlConnectionStringBuilder builder, ConnectionOptions options)
    {
        if (options.PoolTimeout is { } wait)
        {
            builder.Timeout = wait;
        }

        if (options.ConnectionLifetime is { } lifetime)
        {
            builder.ConnectionLifetime = lifetime;
        }

        if (options.ConnectionIdleLifetime is { } idle)
        {
            builder.ConnectionIdleLifetime = idle;
        }

        if (options.BehindTransactionPooler)
        {
            builder.NoResetOnClose = true;
            builder.MaxAutoPrepare = 0;
        }
    }

    /// <summary>Removes the password from a URL or connection string so it can be shown.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // scheme://user:secret@host → scheme://user:***@host
        var redacted = Regex.Replace(text, @"(?<pre>://[^/@:]*:)[^@]*(?=@)", "${pre}***");
        // Password=secret; Pwd=secret; password=secret (query string)
        redacted = Regex.Replace(redacted, @"(?i)(?<key>\b(password|pwd)\s*=\s*)(""[^""]*""|'[^']*'|[^;&]*)", "${key}***");
        return redacted;
    }

    private static string ScrubMessage(string message) => Redact(message);
}
