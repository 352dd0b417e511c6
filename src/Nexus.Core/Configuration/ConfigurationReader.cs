using System.Globalization;
using System.Text.RegularExpressions;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Nexus.Core.Configuration;

/// <summary>
/// Reads a configuration file (YAML, or JSON, which is valid YAML) through YamlDotNet's
/// representation model, which keeps every node's line: each error names the file, the key and
/// the line. Unknown keys, wrong types, impossible values and passwords written into URLs are
/// refused rather than ignored, so a typo cannot silently send a store elsewhere.
/// </summary>
internal sealed class ConfigurationReader
{
    // The original system's file also carries keys for parts of it this module does not run;
    // they are read over so the operators' existing file keeps working.
    private static readonly HashSet<string> ForeignTopLevelKeys = new(StringComparer.Ordinal)
    {
        "mode", "data_dir", "backend", "cache_size_mb", "cache_ttl_seconds", "enable_vector_search",
        "enable_llm_cache", "log_level", "log_format", "tenant_id", "agent_id", "user_id", "is_admin",
        "url", "api_key",
    };

    private readonly string _path;

    private ConfigurationReader(string path) => _path = path;

    public static NexusConfiguration Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NexusException(NexusErrorKind.InvalidConfiguration,
                $"The configuration file {path} cannot be read: {e.Message}", path, e);
        }

        return new ConfigurationReader(path).Parse(text);
    }

    private NexusConfiguration Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Error((int)e.Start.Line, $"is not valid YAML (or JSON): {e.Message}", inner: e);
        }

        var config = new NexusConfiguration(_path);
        if (stream.Documents.Count == 0)
        {
            return config;
        }

        if (stream.Documents.Count > 1)
        {
            throw Error((int)stream.Documents[1].RootNode.Start.Line, "holds more than one YAML document; keep one.");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" })
        {
            return config;
        }

        var stores = new Dictionary<string, NamedStoreConfiguration>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Mapping(root, "(top level)"))
        {
            switch (key)
            {
                case "database_url": config.DatabaseUrl = Url(value, key); break;
                case "password_env": config.PasswordEnv = EnvironmentName(value, key); break;
                case "read_replica_url": config.ReadReplicaUrl = Url(value, key); break;
                case "pool_size": config.PoolSize = Integer(value, key, 1, 1024); break;
                case "max_overflow": config.MaxOverflow = Integer(value, key, 0, 1024); break;
                case "pool_recycle": config.PoolRecycle = Integer(value, key, 0, 86400 * 7); break;
                case "pooler": config.Pooler = Pooler(value, key); break;
                case "migration_url": config.MigrationUrl = Url(value, key); break;
                case "stores":
                    foreach (var (name, entry) in Mapping(value, key))
                    {
                        if (stores.ContainsKey(name))
                        {
                            throw Error(Line(entry), $"names the store '{name}' twice (names are case-insensitive).", "stores." + name);
                        }

                        stores[name] = NamedStore(name, entry);
                    }

                    break;
                default:
                    if (!ForeignTopLevelKeys.Contains(key))
                    {
                        throw Unknown(value, key, "database_url, password_env, read_replica_url, pool_size, max_overflow, pool_recycle, pooler, migration_url, stores");
                    }

                    break;
            }
        }

        config.Stores = stores;
        return config;
    }

    private NamedStoreConfiguration NamedStore(string name, YamlNode node)
    {
        if (!Regex.IsMatch(name, @"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"))
        {
            throw Error(Line(node), "is not a usable store name: use letters, digits, '.', '-' and '_'.", "stores." + name);
        }

        var prefix = $"stores.{name}.";
        var store = new NamedStoreConfiguration(name, Line(node));
        foreach (var (key, value) in Mapping(node, "stores." + name))
        {
            var full = prefix + key;
            switch (key)
            {
                case "url": store.Url = Url(value, full); break;
                case "password_env": store.PasswordEnv = EnvironmentName(value, full); break;
                case "migration_url": store.MigrationUrl = Url(value, full); break;
                case "read_replica_urls":
                    var urls = Sequence(value, full).Select((u, i) => Url(u, $"{full}[{i}]").Value).ToList();
                    store.ReadReplicaUrls = new ConfigValue<IReadOnlyList<string>>(urls, full, Line(value));
                    break;
                case "read_preference":
                    store.ReadPreference = Choice(value, full, new Dictionary<string, ReadPreference>
                    {
                        ["primary"] = ReadPreference.Primary,
                        ["prefer-replica"] = ReadPreference.PreferReplica,
                    });
                    break;
                case "max_replica_lag": store.MaxReplicaLag = Integer(value, full, 0, 86400); break;
                case "pooler": store.Pooler = Pooler(value, full); break;
                case "pool":
                    foreach (var (poolKey, poolValue) in Mapping(value, full))
                    {
                        var poolFull = full + "." + poolKey;
                        switch (poolKey)
                        {
                            case "max": store.Pool.Max = Integer(poolValue, poolFull, 1, 1024); break;
                            case "min": store.Pool.Min = Integer(poolValue, poolFull, 0, 1024); break;
                            case "timeout": store.Pool.Timeout = Integer(poolValue, poolFull, 0, 1024); break;
                            case "lifetime": store.Pool.Lifetime = Integer(poolValue, poolFull, 0, 86400 * 7); break;
                            case "idle_lifetime": store.Pool.IdleLifetime = Integer(poolValue, poolFull, 1, 86400 * 7); break;
                            default: throw Unknown(poolValue, poolFull, "max, min, timeout, lifetime, idle_lifetime");
                        }
                    }

                    break;
                default:
                    throw Unknown(value, full, "url, password_env, pool, read_replica_urls, read_preference, max_replica_lag, pooler, migration_url");
            }
        }

        if (store.Url is null)
        {
            throw Error(store.Line, "has no url: give the primary's URL (without a password).", "stores." + name);
        }

        if (store.Pool is { Min: { } min, Max: { } max } && min.Value > max.Value)
        {
            throw Error(min.Line, $"({min.Value}) is larger than {max.Key} ({max.Value}).", min.Key);
        }

        if (store.ReadPreference is { Value: ReadPreference.PreferReplica } pref && store.ReadReplicaUrls is not { Value.Count: > 0 })
        {
            throw Error(pref.Line, $"is prefer-replica but {prefix}read_replica_urls names no replica.", pref.Key);
        }

        return store;
    }

    private IEnumerable<(string Key, YamlNode Value)> Mapping(YamlNode node, string key)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(Line(node), "must be a mapping (key: value lines).", key);
        }

        foreach (var (k, v) in mapping.Children)
        {
            if (k is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                throw Error(Line(k), "has a key that is not a plain name.", key);
            }

            yield return (name, v);
        }
    }

    private IEnumerable<YamlNode> Sequence(YamlNode node, string key) => node switch
    {
        YamlSequenceNode sequence => sequence.Children,
        YamlScalarNode { Value: { Length: > 0 } } => [node],  // one URL written without a list
        _ => throw Error(Line(node), "must be a list of URLs.", key),
    };

    private string Scalar(YamlNode node, string key, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw Error(Line(node), $"must be {what}.", key);

    private ConfigValue<int> Integer(YamlNode node, string key, int min, int max)
    {
        var text = Scalar(node, key, $"a whole number from {min} to {max}");
        if (node is not YamlScalarNode { Style: ScalarStyle.Plain } ||
            !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(Line(node), $"must be a whole number from {min} to {max}, not '{text}'.", key);
        }

        if (value < min || value > max)
        {
            throw Error(Line(node), $"is {value}; it must be from {min} to {max}.", key);
        }

        return new ConfigValue<int>(value, key, Line(node));
    }

    private ConfigValue<T> Choice<T>(YamlNode node, string key, Dictionary<string, T> choices)
    {
        var text = Scalar(node, key, "one of " + string.Join(", ", choices.Keys));
        return choices.TryGetValue(text, out var value)
            ? new ConfigValue<T>(value, key, Line(node))
            : throw Error(Line(node), $"is '{text}'; it must be one of {string.Join(", ", choices.Keys)}.", key);
    }

    private ConfigValue<PoolerMode> Pooler(YamlNode node, string key) => Choice(node, key, new Dictionary<string, PoolerMode>
    {
        ["none"] = PoolerMode.None,
        ["pgbouncer-transaction"] = PoolerMode.PgBouncerTransaction,
    });

    private ConfigValue<string> EnvironmentName(YamlNode node, string key)
    {
        var text = Scalar(node, key, "the name of an environment variable");
        return Regex.IsMatch(text, @"^[A-Za-z_][A-Za-z0-9_]*$")
            ? new ConfigValue<string>(text, key, Line(node))
            : throw Error(Line(node), $"must name an environment variable (letters, digits, '_'), not '{text}'.", key);
    }

    private ConfigValue<string> Url(YamlNode node, string key)
    {
        var text = Scalar(node, key, "a URL such as postgresql://user@host:5432/nexus");
        if (ContainsPassword(text))
        {
            // Never echo the URL itself: it holds the secret.
            throw Error(Line(node),
                "contains a password. Passwords never live in the configuration file: remove it and use -Credential, password_env (an environment variable's name), or ~/.pgpass.", key);
        }

        return new ConfigValue<string>(text, key, Line(node));
    }

    /// <summary>True when a URL or connection string carries a password (user:secret@ or Password=).</summary>
    internal static bool ContainsPassword(string text) =>
        Regex.IsMatch(text, @"://[^/@:]*:[^@/]*@") || Regex.IsMatch(text, @"(?i)(^|[;?&])\s*(password|pwd)\s*=");

    private NexusException Unknown(YamlNode node, string key, string known) =>
        Error(Line(node), $"is not a known key. Known keys here: {known}.", key);

    private NexusException Error(int line, string message, string? key = null, Exception? inner = null) =>
        new(NexusErrorKind.InvalidConfiguration,
            $"{_path}:{line}: {(key is null ? "the file" : $"'{key}'")} {message}", _path, inner);

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
