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
public static partial class ConnectionStringParser
{
    /// <summary>The environment variables read, in order, when no connection is given.</summary>
    public static readonly string[] EnvironmentVariables = ["NEXUS_DATABASE_URL", "DATABASE_URL"];

    /// <summary>The embedded default when nothing else is given.</summary>
    public const string DefaultFilePath = "nexus.db";

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

        return ForFile(DefaultFilePath, options);
    }

    /// <summary>
    /// Parses a URL or ADO.NET connection string. No error it throws quotes the password, whole
    /// or in pieces, however malformed the input (see <see cref="SecretText"/>).
    /// </summary>
    public static StoreTarget Parse(string input, ConnectionOptions options)
    {
        try
        {
            return ParseUnchecked(input, options);
        }
        catch (NexusException e) when (SecretText.Reveals(e.Message, input) || SecretText.Reveals(e.Target as string, input))
        {
            var fact = SecretText.Scrub(e.Fact, input);
            var hint = e.Hint is null ? null : SecretText.Scrub(e.Hint, input);
            if (hint is not null && SecretText.Reveals(fact + " " + hint, input))
            {
                // A piece of the password spans the two: scrub the message as one text.
                (fact, hint) = (SecretText.Scrub(e.Message, input), null);
            }

            throw new NexusException(e.Kind, fact, e.Target is string target ? SecretText.Scrub(target, input) : e.Target, hint: hint);
        }
    }

    /// <summary>
    /// True for text that is meant as a URL: a scheme and "://", or a URL that lost its "//"
    /// ("postgres:pw@host/db", "postgresql:/user:pw@host/db"), which must never be taken for a
    /// SQLite file path (that would create a file named after the password).
    /// </summary>
    public static bool LooksLikeUrl(string text)
    {
        var t = text.Trim();
        if (Regex.IsMatch(t, @"^[A-Za-z][A-Za-z0-9+.\-]*://"))
        {
            return true;
        }

        // A ':' before the last '@' is user:password@host, unless a keyword (Key=…;) comes first
        // or it is a Windows path (C:\…, \\server\…).
        var colon = t.IndexOf(':');
        return colon >= 0 && colon < t.LastIndexOf('@') && t.IndexOfAny(['=', ';']) is var key && (key < 0 || key > colon)
            && !Regex.IsMatch(t, @"^([A-Za-z]:[\\/]|[\\/]{2})");
    }

    private static StoreTarget ParseUnchecked(string input, ConnectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                "The connection string is empty.", hint: "Give a URL such as 'sqlite:///nexus.db' or 'postgresql://user@host:5432/nexus', or use -Path for a SQLite file.");
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
                    $"The URL scheme '{scheme}' is not supported.",
                    SecretText.Redact(text), hint: "Use 'sqlite:///path.db' for an embedded store or 'postgresql://user@host:5432/database' for PostgreSQL."),
            };
        }

        if (LooksLikeUrl(text))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                $"'{SecretText.Redact(text)}' looks like a URL without its '//'.",
                SecretText.Redact(text), hint: "Write it as 'postgresql://user@host:5432/database' (the password is better given with -Credential), or 'sqlite:///nexus.db'.");
        }

        if (!text.Contains('='))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                $"'{SecretText.Redact(text)}' is neither a URL nor a connection string.",
                SecretText.Redact(text), hint: "Use -Path for a SQLite file, or a URL such as 'sqlite:///nexus.db' or 'postgresql://user@host/nexus'.");
        }

        return ParseAdoNet(text, options);
    }

    /// <summary>
    /// The direct connection string a store behind PgBouncer migrates through: the store's own
    /// settings with the host, port (and database, user when given) of <paramref name="migrationUrl"/>,
    /// and no transaction-pooler settings.
    /// </summary>
    public static string DirectMigrationConnectionString(StoreTarget target, string migrationUrl, ConnectionOptions options)
    {
        var direct = new NpgsqlConnectionStringBuilder(ConnectionStringParser.Parse(migrationUrl, new ConnectionOptions
        {
            UserName = options.UserName,
            Password = options.Password,
        }).ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString)
        {
            Host = direct.Host,
            Port = direct.Port,
            NoResetOnClose = false,
            MaxAutoPrepare = 0,
        };
        if (!string.IsNullOrEmpty(direct.Database))
        {
            builder.Database = direct.Database;
        }

        if (!string.IsNullOrEmpty(direct.Username) && options.UserName is null)
        {
            builder.Username = direct.Username;
        }

        return builder.ConnectionString;
    }

    /// <summary>"host:port" of a connection string (a multi-host list as it is).</summary>
    public static string HostAndPort(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return builder.Host!.Contains(',') ? builder.Host : $"{builder.Host}:{builder.Port}";
    }

    /// <summary>The pool settings a PostgreSQL connection string ends up with (its own or Npgsql's defaults).</summary>
    public static PoolSettings ReadPool(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new PoolSettings(builder.MaxPoolSize, builder.MinPoolSize, builder.Timeout, builder.ConnectionLifetime, builder.ConnectionIdleLifetime);
    }

    /// <summary>A PostgreSQL target from an ADO.NET string that is already complete (a store's direct migration_url).</summary>
    public static StoreTarget ForDirectPostgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new StoreTarget(StoreProvider.PostgreSql, connectionString, $"{builder.Host}:{builder.Port}/{builder.Database}") { UserName = builder.Username };
    }

    /// <summary>A SQLite store in a file (created, with its folders, when first opened).</summary>
    public static StoreTarget ForFile(string path, ConnectionOptions options)
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
                $"The SQLite URL '{SecretText.Redact(url)}' names a host. Use three slashes for a relative path (sqlite:///nexus.db) or four for an absolute one (sqlite:////var/lib/nexus.db).",
                SecretText.Redact(url));
        }

        // sqlite:///user:password@host/x.db is a server URL with one slash too many, not a file.
        var firstSegment = rest[1..].Split('/')[0];
        if (firstSegment.Contains('@') && firstSegment.IndexOf(':') is > 1 and var colon && colon < firstSegment.IndexOf('@'))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                $"The SQLite URL '{SecretText.Redact(url)}' carries a user and password; SQLite files take none. Write sqlite:///nexus.db (relative) or sqlite:////var/lib/nexus.db (absolute).",
                SecretText.Redact(url));
        }

        var path = Uri.UnescapeDataString(rest[1..]);
        // sqlite:///C:/data/nexus.db is an absolute Windows path behind three slashes.
        return ForFile(path, options);
    }

    private static StoreTarget ParsePostgresUrl(string url, int prefixLength, ConnectionOptions options)
    {
        var rest = url[prefixLength..];
        RefuseUnencodedPassword(url, rest);
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
                        SecretText.Redact(url));
                }

                if (keyword == "SSL Mode")
                {
                    value = SslModes.TryGetValue(value, out var mode) ? mode : throw new NexusException(
                        NexusErrorKind.InvalidConnectionString,
                        $"sslmode '{value}' is not one of {string.Join(", ", SslModes.Keys)}.", SecretText.Redact(url));
                }

                try
                {
                    builder[keyword] = value;
                }
                catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
                {
                    throw new NexusException(NexusErrorKind.InvalidConnectionString,
                        $"The URL option '{key}={value}' is not valid: {e.Message}", SecretText.Redact(url));
                }
            }
        }

        return ForPostgres(builder, options);
    }

    // user:pa/ss@host or user:pa?ss@host: the '/' or '?' ends the host part early, so the start of
    // the password would be read as a host and port and the rest as a database or an option.
    // Refused whenever it can be that: an '@' after the host part may stand only in an option's
    // value (application_name=ops@box); in a database name it must be written %40 anyway. So a
    // URL that is taken never has password text in its host, port or database.
    private static void RefuseUnencodedPassword(string url, string rest)
    {
        var hostEnd = rest.IndexOfAny(['/', '?']);
        if (hostEnd < 0 || !rest[hostEnd..].Contains('@'))
        {
            return;
        }

        var hostPart = rest[..hostEnd];
        var colon = hostPart.LastIndexOf(':');
        var portIsText = !hostPart.Contains('@') && colon >= 0 && !int.TryParse(hostPart[(colon + 1)..], out _);
        var query = rest.IndexOf('?');
        var path = query >= 0 ? rest[hostEnd..query] : rest[hostEnd..];
        var optionNames = query >= 0 ? rest[(query + 1)..].Split('&').Select(o => o.Split('=')[0]) : [];
        if (portIsText || path.Contains('@') || optionNames.Any(n => n.Contains('@')))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                $"The URL '{SecretText.Redact(url)}' has an '@' after its host part: a password with an unencoded '/' or '?' (or an '@' in the database name).",
                SecretText.Redact(url), hint: "Percent-encode them: '/' as %2F, '?' as %3F, '@' as %40, or pass the password with -Credential.");
        }
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
                    throw new NexusException(NexusErrorKind.InvalidConnectionString, $"The host '{entry}' has an unclosed '['.", SecretText.Redact(url));
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
                    $"The URL '{SecretText.Redact(url)}' has no host name.", SecretText.Redact(url), hint: "Write postgresql://user@host:5432/database.");
            }

            int? port = null;
            if (portText is not null)
            {
                if (!int.TryParse(portText, out var p) || p is < 1 or > 65535)
                {
                    throw new NexusException(NexusErrorKind.InvalidConnectionString,
                        $"The port '{portText}' in '{SecretText.Redact(url)}' is not a number from 1 to 65535.", SecretText.Redact(url));
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
                throw InvalidKeywords("PostgreSQL", e, text);
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
                throw InvalidKeywords("SQLite", e, text);
            }

            if (sqlite.Mode == SqliteOpenMode.Memory || sqlite.DataSource == ":memory:")
            {
                return ForSqliteMemory(options);
            }

            return ForFile(sqlite.DataSource, options);
        }

        throw new NexusException(NexusErrorKind.InvalidConnectionString,
            "The connection string names no database: give 'Host=…;Database=…' for PostgreSQL or 'Data Source=…' for SQLite.");
    }

    // Password=pa;ss leaves "ss" as a keyword of its own, which the driver then names as unknown:
    // that name is a piece of the password, so it is not shown.
    private static NexusException InvalidKeywords(string database, Exception error, string text)
    {
        var next = Regex.Match(text, @"(?i)\b(?:password|pwd|psw)\s*=\s*[^;""']*;\s*(?<key>[^=;]+?)\s*(=|;|$)");
        var reason = next.Success && error.Message.Contains(next.Groups["key"].Value.Trim(), StringComparison.OrdinalIgnoreCase)
            ? "the keyword after the password is not known. If the password holds ';', put it in double quotes (Password=\"pa;ss\") or pass it with -Credential"
            : SecretText.Redact(error.Message);
        return new NexusException(NexusErrorKind.InvalidConnectionString, $"The {database} connection string is not valid: {reason}.");
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
        ApplyHungServerLimits(builder, options); // after the pool's: an explicit pool timeout is kept

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new NexusException(NexusErrorKind.InvalidConnectionString,
                "The PostgreSQL connection names no host.", hint: "Write postgresql://user@host:5432/database or 'Host=…;Database=…'.");
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

    /// <summary>
    /// Bounds how long a call waits for a server that accepts connections but does not answer (hung,
    /// stopped, or cut off by the network). A new connection waits at most the connect timeout:
    /// -ConnectTimeout, else connect_timeout of the URL, else the command timeout (at most
    /// Npgsql's own 15 s). When a command times out, Npgsql sends the server a cancel request over a
    /// new connection (bounded by that same connect timeout) and, by default, then waits up to 2 s
    /// more for the cancel to take effect; a cancellation timeout of -1 drops the connection at once
    /// instead, so a timed-out call does not wait twice.
    /// </summary>
    private static void ApplyHungServerLimits(NpgsqlConnectionStringBuilder builder, ConnectionOptions options)
    {
        var given = builder.ConnectionString;
        if (options.ConnectTimeout is { } connect)
        {
            builder.Timeout = connect;
        }
        else if (!HasKeyword(given, "Timeout") && builder.CommandTimeout > 0)
        {
            builder.Timeout = Math.Min(builder.Timeout, builder.CommandTimeout);
        }

        if (!HasKeyword(given, "Cancellation Timeout"))
        {
            builder.CancellationTimeout = -1;
        }
    }

    private static bool HasKeyword(string connectionString, string keyword) =>
        Regex.IsMatch(connectionString, $@"(?i)(^|;)\s*{Regex.Escape(keyword)}\s*=");
}
