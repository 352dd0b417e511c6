using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Store;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Pooled connections to one PostgreSQL database. With several hosts (a failover list in the
/// URL, or read replicas), it is one Npgsql multi-host data source over all of them, and every
/// write, migration, lock and copy asks for <see cref="TargetSessionAttributes.Primary"/> whatever
/// the URL's target_session_attrs says; reads ask for PreferStandby when the store reads from
/// replicas, and skip a standby that lags more than max_replica_lag or has not replayed this
/// store's last write (<see cref="WriteWatermark"/>).
/// </summary>
internal sealed class PostgresConnectionSource : IConnectionSource
{
    private readonly StoreTarget _target;
    private readonly NpgsqlDataSource _root;
    private readonly NpgsqlDataSource _reads;
    private readonly ReplicaMonitor? _monitor;
    private readonly WriteWatermark? _watermark;
    private readonly ConcurrentQueue<string> _notes = new();
    private string? _lastWriteHost;

    public PostgresConnectionSource(StoreTarget target)
    {
        _target = target;
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        var primaryHosts = HostList(settings);
        var replicaHosts = target.ReplicaHosts.SelectMany(h => h.Split(',')).Except(primaryHosts, StringComparer.OrdinalIgnoreCase).ToList();
        if (primaryHosts.Count == 1 && replicaHosts.Count == 0)
        {
            _root = NpgsqlDataSource.Create(target.ConnectionString);
            DataSource = _reads = _root;
            return;
        }

        // The URL's own target_session_attrs still applies to reads, never to writes.
        var readAttributes = settings.TargetSessionAttributes;
        settings.TargetSessionAttributes = null;
        settings.Host = string.Join(",", primaryHosts.Concat(replicaHosts));
        if (!target.ConnectionString.Contains("Host Recheck Seconds", StringComparison.OrdinalIgnoreCase))
        {
            // Notice a promoted standby within seconds rather than Npgsql's default 10.
            settings.HostRecheckSeconds = 2;
        }

        var multiHost = new NpgsqlDataSourceBuilder(settings.ConnectionString).BuildMultiHost();
        _root = multiHost;
        DataSource = multiHost.WithTargetSession(TargetSessionAttributes.Primary);
        _reads = target.ReadPreference == ReadPreference.PreferReplica && replicaHosts.Count > 0
            ? multiHost.WithTargetSession(TargetSessionAttributes.PreferStandby)
            : readAttributes is { Length: > 0 } attributes && Enum.TryParse<TargetSessionAttributes>(attributes.Replace("-", ""), true, out var parsed)
                ? multiHost.WithTargetSession(parsed)
                : DataSource;
        if (replicaHosts.Count > 0)
        {
            // A crashed server leaves dead connections in the pool: drop the idle ones at once.
            _monitor = new ReplicaMonitor(target.ConnectionString, primaryHosts, replicaHosts, () => _root.Clear());
            _watermark = target.ReadPreference == ReadPreference.PreferReplica ? new WriteWatermark() : null;
        }
    }

    /// <summary>The pool for writes (always the primary); DbUp's connection manager and binary COPY use it directly.</summary>
    public NpgsqlDataSource DataSource { get; }

    public IReadOnlyList<StoreHost> Hosts => _monitor?.Hosts ?? [];

    public DbConnection Open() => Open(ConnectionIntent.Write);

    public DbConnection Open(ConnectionIntent intent)
    {
        if (intent == ConnectionIntent.Write || ReferenceEquals(_reads, DataSource))
        {
            return OpenWrite();
        }

        var connection = OpenFrom(_reads);
        if (_monitor is null)
        {
            return connection;
        }

        if (!Answers(connection))
        {
            // A pooled connection to a server that has gone since (the monitor had not noticed):
            // drop the dead idle connections and ask again; Npgsql then skips the host.
            connection.Dispose();
            _root.Clear();
            connection = OpenFrom(_reads);
        }

        var why = WhyNotServe(connection);
        if (why is null)
        {
            return connection;
        }

        connection.Dispose();
        _notes.Enqueue($"Read from the primary: the replica {why}.");
        return OpenFrom(DataSource);
    }

    public IReadOnlyList<string> TakeNotes()
    {
        var notes = new List<string>();
        while (_notes.TryDequeue(out var note))
        {
            notes.Add(note);
        }

        return notes;
    }

    /// <summary>Drops every idle pooled connection, to every host (one was found dead).</summary>
    public void ClearPool() => _root.Clear();

    public void Dispose()
    {
        _monitor?.Dispose();
        _root.Dispose();
    }

    private NpgsqlConnection OpenWrite()
    {
        var connection = OpenFrom(DataSource);
        if (ReferenceEquals(_root, DataSource))
        {
            return connection;   // one host: nothing to choose, nothing to report
        }

        if (!Answers(connection))
        {
            // The pooled connection belongs to a primary that crashed: drop the dead ones and ask
            // again, so Npgsql finds the (perhaps newly promoted) primary.
            connection.Dispose();
            _root.Clear();
            connection = OpenFrom(DataSource);
        }

        var host = $"{connection.Host}:{connection.Port}";
        if (!string.Equals(Interlocked.Exchange(ref _lastWriteHost, host), host, StringComparison.OrdinalIgnoreCase))
        {
            _notes.Enqueue($"Writes go to the primary at {host}.");
        }

        if (_watermark is { } watermark)
        {
            connection.StateChange += (_, e) =>
            {
                if (e.CurrentState == ConnectionState.Closed)
                {
                    watermark.MarkWritten();
                }
            };
        }

        return connection;
    }

    // Why a read connection that landed on a standby must not serve (null: it may).
    private string? WhyNotServe(NpgsqlConnection connection)
    {
        var host = _monitor!.Find(connection.Host!, connection.Port);
        if (host is null || host.Role == "primary")
        {
            return null;
        }

        if (_target.MaxReplicaLag is { } max && host.LagSeconds is { } lag && lag > max)
        {
            return $"{host.Host} lags {lag:0.0} s behind the primary, more than max_replica_lag ({max} s)";
        }

        if (_watermark is { } watermark && !watermark.IsCaughtUp(connection, PrimaryPosition))
        {
            return $"{host.Host} has not replayed this store's last write within {WriteWatermark.Wait.TotalSeconds:0} s";
        }

        return null;
    }

    // One round trip: a read connection from the pool may belong to a server that crashed.
    private static bool Answers(NpgsqlConnection connection)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            command.ExecuteScalar();
            return true;
        }
        catch (Exception e) when (e is NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException or EndOfStreamException })
        {
            return false;
        }
    }

    private ulong PrimaryPosition()
    {
        using var primary = OpenFrom(DataSource);
        return WriteWatermark.ReplayedPosition(primary);
    }

    private NpgsqlConnection OpenFrom(NpgsqlDataSource source)
    {
        try
        {
            return source.OpenConnection();
        }
        catch (NpgsqlException e) when (e.Message.Contains("pool has been exhausted", StringComparison.OrdinalIgnoreCase))
        {
            throw PoolExhausted(e);
        }
        catch (NpgsqlException e) when (e.Message.StartsWith("No suitable host", StringComparison.OrdinalIgnoreCase))
        {
            var hosts = new NpgsqlConnectionStringBuilder(source.ConnectionString).Host;
            throw new NexusException(NexusErrorKind.ConnectionFailed,
                $"No server of {_target.DisplayName} ({hosts}) answered as {(ReferenceEquals(source, DataSource) ? "the primary" : "a server for reads")}: they are down, or a standby is being promoted (Npgsql rechecks a host every few seconds).",
                _target.DisplayName, e, hint: "Retry shortly, or check the servers.");
        }
    }

    private static List<string> HostList(NpgsqlConnectionStringBuilder settings) =>
        settings.Host!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.Contains(':') && !h.StartsWith('[') || h.Contains("]:") ? h : $"{h}:{settings.Port}")
            .ToList();

    // Npgsql's own text names connection-string keywords; say it in the module's words.
    private NexusException PoolExhausted(Exception e)
    {
        var settings = new NpgsqlConnectionStringBuilder(_target.ConnectionString);
        return new NexusException(NexusErrorKind.Timeout,
            $"The connection pool of {_target.DisplayName} is exhausted: all {settings.MaxPoolSize} connections (pool.max, -MaxPoolSize) are in use and none came free within {settings.Timeout} s (pool.timeout).",
            _target.DisplayName, e, hint: "Raise pool.max, wait longer, or run fewer sessions at once.");
    }
}
