using System.Globalization;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Configuration;

/// <summary>
/// Turns a <see cref="StoreRequest"/> into a <see cref="StoreTarget"/>, taking each setting from
/// the first place that has it: parameters, then environment variables, then the configuration
/// file, then defaults. Environment variables are the original system's, and configure the
/// default store; a named store (-Name) takes its settings from its entry in the file.
/// Every effective setting is recorded with its source for Get-NexusStore.
/// </summary>
public static class StoreResolver
{
    /// <summary>Pool ceiling (with NEXUS_DB_MAX_OVERFLOW added), as SQLAlchemy's pool_size.</summary>
    public const string PoolSizeVariable = "NEXUS_DB_POOL_SIZE";

    /// <summary>Connections allowed beyond the pool size, as SQLAlchemy's max_overflow.</summary>
    public const string MaxOverflowVariable = "NEXUS_DB_MAX_OVERFLOW";

    /// <summary>Seconds before a connection is replaced, as SQLAlchemy's pool_recycle.</summary>
    public const string PoolRecycleVariable = "NEXUS_DB_POOL_RECYCLE";

    /// <summary>A streaming replica of the default store that may serve reads.</summary>
    public const string ReadReplicaVariable = "NEXUS_READ_REPLICA_URL";

    /// <summary>Resolves the request (reads the configuration file only when it is needed).</summary>
    public static StoreTarget Resolve(StoreRequest request)
    {
        var baseDir = request.Parameters.BaseDirectory ?? Directory.GetCurrentDirectory();
        var settings = new List<StoreSetting>();
        var config = ConfigurationFile.Load(request.ConfigPath, baseDir);
        NamedStoreConfiguration? named = null;
        if (request.Name is not null)
        {
            if (config is null)
            {
                throw new NexusException(NexusErrorKind.InvalidConfiguration,
                    $"There is no configuration file to find the store '{request.Name}' in. Looked for -ConfigPath, ${ConfigurationFile.PathVariable}, ./nexus.yaml and ~/.nexus/config.yaml.",
                    request.Name);
            }

            if (!config.Stores.TryGetValue(request.Name, out named))
            {
                var known = config.Stores.Count == 0 ? "it names none" : "it names " + string.Join(", ", config.Stores.Keys.Order());
                throw new NexusException(NexusErrorKind.InvalidConfiguration,
                    $"The configuration file {config.FilePath} has no store named '{request.Name}' under 'stores:'; {known}.", request.Name);
            }
        }

        if (config is not null)
        {
            settings.Add(new StoreSetting("config_file", config.FilePath, request.ConfigPath is null
                ? (Environment.GetEnvironmentVariable(ConfigurationFile.PathVariable) is { Length: > 0 } ? SettingSource.Environment : SettingSource.Default)
                : SettingSource.Parameter, request.ConfigPath is null ? null : "-ConfigPath"));
        }

        // The URL: the one setting every store has.
        string? url = null;
        var urlFromFile = false;
        if (request.ConnectionString is not null)
        {
            url = request.ConnectionString;
            settings.Add(new StoreSetting("url", SecretText.Redact(url), SettingSource.Parameter, "-ConnectionString"));
        }
        else if (named is not null)
        {
            url = named.Url!.Value;
            urlFromFile = true;
            settings.Add(FromFile("url", url, config!, named.Url));
        }
        else if (FirstEnvironment(ConnectionStringParser.EnvironmentVariables) is { } fromEnv)
        {
            url = fromEnv.Value;
            settings.Add(new StoreSetting("url", SecretText.Redact(url), SettingSource.Environment, fromEnv.Name));
        }
        else if (config?.DatabaseUrl is { } fileUrl)
        {
            url = fileUrl.Value;
            urlFromFile = true;
            settings.Add(FromFile("url", url, config, fileUrl));
        }

        var options = Options(request, named, config, urlFromFile, settings);
        StoreTarget target;
        if (url is null)
        {
            target = ConnectionStringParser.ForFile(ConnectionStringParser.DefaultFilePath, options);
            settings.Add(new StoreSetting("url", target.DisplayName, SettingSource.Default, null));
        }
        else
        {
            target = ConnectionStringParser.Parse(url, options);
        }

        target.Name = named?.Name;
        if (target.IsPooled)
        {
            AddPoolSettings(target, request, named, config, settings);
            AddScalingSettings(target, named, config, options, settings);
        }
        else
        {
            settings.RemoveAll(s => s.Name.StartsWith("pool.", StringComparison.Ordinal) || s.Name == "password");
        }

        target.Settings = settings;
        return target;
    }

    private static ConnectionOptions Options(StoreRequest request, NamedStoreConfiguration? named, NexusConfiguration? config,
        bool urlFromFile, List<StoreSetting> settings)
    {
        var p = request.Parameters;
        var password = p.Password;
        if (p.Password is not null)
        {
            settings.Add(new StoreSetting("password", "(hidden)", SettingSource.Parameter, "-Credential"));
        }
        else if (urlFromFile && (named is not null ? named.PasswordEnv : config!.PasswordEnv) is { } variable)
        {
            password = Environment.GetEnvironmentVariable(variable.Value);
            if (string.IsNullOrEmpty(password))
            {
                throw new NexusException(NexusErrorKind.InvalidConfiguration,
                    $"{config!.Where(variable.Line)}: '{variable.Key}' names the environment variable {variable.Value}, which is not set.",
                    config.FilePath, hint: "Set it, or use -Credential or ~/.pgpass.");
            }

            settings.Add(new StoreSetting("password", "(hidden)", SettingSource.Environment, $"{variable.Value} (password_env, {config!.Where(variable.Line)})"));
        }
        else
        {
            settings.Add(new StoreSetting("password", "(none given: the URL, or the PostgreSQL password file ~/.pgpass / PGPASSFILE)", SettingSource.Default, null));
        }

        int? max = p.MaxPoolSize, lifetime = p.ConnectionLifetime;
        if (named is null)
        {
            // The original system's SQLAlchemy knobs: the ceiling is pool_size + max_overflow.
            var size = EnvironmentInt(PoolSizeVariable, 1) ?? config?.PoolSize?.Value;
            var overflow = EnvironmentInt(MaxOverflowVariable, 0) ?? config?.MaxOverflow?.Value ?? 0;
            max ??= size is null ? null : size + overflow;
            lifetime ??= EnvironmentInt(PoolRecycleVariable, 0) ?? config?.PoolRecycle?.Value;
        }
        else
        {
            max ??= named.Pool.Max?.Value;
            lifetime ??= named.Pool.Lifetime?.Value;
        }

        var pooler = named is not null ? named.Pooler : config?.Pooler;
        return new ConnectionOptions
        {
            BehindTransactionPooler = pooler?.Value == PoolerMode.PgBouncerTransaction,
            UserName = p.UserName,
            Password = password,
            MaxPoolSize = max,
            MinPoolSize = p.MinPoolSize ?? named?.Pool.Min?.Value,
            CommandTimeout = p.CommandTimeout,
            ConnectTimeout = p.ConnectTimeout,
            BaseDirectory = p.BaseDirectory,
            PoolTimeout = p.PoolTimeout ?? named?.Pool.Timeout?.Value,
            ConnectionLifetime = lifetime,
            ConnectionIdleLifetime = p.ConnectionIdleLifetime ?? named?.Pool.IdleLifetime?.Value,
        };
    }

    // Records where each pool setting came from; the values are read back from the parsed target.
    private static void AddPoolSettings(StoreTarget target, StoreRequest request, NamedStoreConfiguration? named,
        NexusConfiguration? config, List<StoreSetting> settings)
    {
        var effective = ConnectionStringParser.ReadPool(target.ConnectionString);
        var p = request.Parameters;

        StoreSetting Pick(string name, object value, bool parameter, string parameterName,
            (string Variable, bool Set)? env, ConfigValue<int>? file)
        {
            if (parameter)
            {
                return new StoreSetting(name, value, SettingSource.Parameter, "-" + parameterName);
            }

            if (env is { Set: true } e)
            {
                return new StoreSetting(name, value, SettingSource.Environment, e.Variable);
            }

            return file is not null
                ? new StoreSetting(name, value, SettingSource.File, $"{file.Key} ({config!.Where(file.Line)})")
                : new StoreSetting(name, value, SettingSource.Default, null);
        }

        (string, bool)? Env(string variable) => named is null ? (variable, IsSet(variable)) : null;
        var poolSizeFile = named is null ? config?.PoolSize : named.Pool.Max;
        settings.Add(Pick("pool.max", effective.MaxPoolSize, p.MaxPoolSize is not null, "MaxPoolSize", Env(PoolSizeVariable), poolSizeFile));
        settings.Add(Pick("pool.min", effective.MinPoolSize, p.MinPoolSize is not null, "MinPoolSize", null, named?.Pool.Min));
        settings.Add(Pick("pool.timeout", effective.Timeout, p.PoolTimeout is not null, "Timeout", null, named?.Pool.Timeout));
        settings.Add(Pick("pool.lifetime", effective.ConnectionLifetime, p.ConnectionLifetime is not null, "ConnectionLifetime",
            Env(PoolRecycleVariable), named is null ? config?.PoolRecycle : named.Pool.Lifetime));
        settings.Add(Pick("pool.idle_lifetime", effective.ConnectionIdleLifetime, p.ConnectionIdleLifetime is not null, "ConnectionIdleLifetime",
            null, named?.Pool.IdleLifetime));
    }

    private static void AddScalingSettings(StoreTarget target, NamedStoreConfiguration? named, NexusConfiguration? config,
        ConnectionOptions options, List<StoreSetting> settings)
    {
        IReadOnlyList<string> replicaUrls = [];
        if (named?.ReadReplicaUrls is { } fileReplicas)
        {
            replicaUrls = fileReplicas.Value;
            settings.Add(FromFile("read_replica_urls", string.Join(", ", replicaUrls), config!, fileReplicas));
        }
        else if (named is null && Environment.GetEnvironmentVariable(ReadReplicaVariable) is { Length: > 0 } envReplica)
        {
            replicaUrls = [envReplica];
            settings.Add(new StoreSetting("read_replica_urls", SecretText.Redact(envReplica), SettingSource.Environment, ReadReplicaVariable));
        }
        else if (named is null && config?.ReadReplicaUrl is { } fileReplica)
        {
            replicaUrls = [fileReplica.Value];
            settings.Add(FromFile("read_replica_urls", fileReplica.Value, config, fileReplica));
        }
        else
        {
            settings.Add(new StoreSetting("read_replica_urls", "(none)", SettingSource.Default, null));
        }

        // A replica shares the primary's database and login: only its host and port are used.
        target.ReplicaHosts = replicaUrls.Select(u =>
        {
            return ConnectionStringParser.HostAndPort(ConnectionStringParser.Parse(u, options).ConnectionString);
        }).ToList();

        if (named?.ReadPreference is { } pref)
        {
            target.ReadPreference = pref.Value;
            settings.Add(FromFile("read_preference", Spelling(pref.Value), config!, pref));
        }
        else
        {
            target.ReadPreference = target.ReplicaHosts.Count > 0 ? ReadPreference.PreferReplica : ReadPreference.Primary;
            settings.Add(new StoreSetting("read_preference", Spelling(target.ReadPreference), SettingSource.Default, null));
        }

        if (named?.MaxReplicaLag is { } lag)
        {
            target.MaxReplicaLag = lag.Value;
            settings.Add(FromFile("max_replica_lag", lag.Value, config!, lag));
        }
        else
        {
            settings.Add(new StoreSetting("max_replica_lag", "(no bound)", SettingSource.Default, null));
        }

        if ((named is not null ? named.Pooler : config?.Pooler) is { } pooler)
        {
            target.Pooler = pooler.Value;
            settings.Add(FromFile("pooler", pooler.Value == PoolerMode.None ? "none" : "pgbouncer-transaction", config!, pooler));
        }
        else
        {
            settings.Add(new StoreSetting("pooler", "none", SettingSource.Default, null));
        }

        if ((named is not null ? named.MigrationUrl : config?.MigrationUrl) is { } migration)
        {
            target.MigrationConnectionString = ConnectionStringParser.DirectMigrationConnectionString(target, migration.Value, options);
            settings.Add(FromFile("migration_url", migration.Value, config!, migration));
        }
    }

    // The store's own connection with the host, port (and, when given, database and user) of
    // migration_url: the same login, straight to the server, with session state allowed again.
    private static string Spelling(ReadPreference preference) =>
        preference == ReadPreference.Primary ? "primary" : "prefer-replica";

    private static StoreSetting FromFile<T>(string name, object value, NexusConfiguration config, ConfigValue<T> from) =>
        new(name, value is string s ? SecretText.Redact(s) : value, SettingSource.File, $"{from.Key} ({config.Where(from.Line)})");

    private static (string Name, string Value)? FirstEnvironment(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value))
            {
                return (name, value);
            }
        }

        return null;
    }

    private static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));

    private static int? EnvironmentInt(string variable, int min)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= 1024 * 1024
            ? value
            : throw new NexusException(NexusErrorKind.InvalidConfiguration,
                $"The environment variable {variable} is '{text}'; it must be a whole number of at least {min}.", variable);
    }
}
