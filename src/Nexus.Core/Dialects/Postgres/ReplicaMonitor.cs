using Nexus.Core.Connection;
using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Checks every host of a store with read replicas about once a second: role (primary/standby),
/// whether it answers, and each standby's lag. Lag is measured from WAL positions, not from
/// pg_last_xact_replay_timestamp() (which grows on an idle primary): the monitor keeps the
/// primary's WAL position over time, and a standby's lag is how long ago the primary first had
/// WAL that the standby has not replayed yet. It is therefore 0 on an idle, caught-up pair, and
/// it cannot see lag that began before the store was opened (at most the store's age).
/// </summary>
internal sealed class ReplicaMonitor : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly List<(string Host, NpgsqlDataSource Source, StoreHost State)> _hosts = [];
    private readonly Queue<(DateTime At, ulong Position)> _primaryPositions = new();
    private readonly Timer _timer;
    private int _checking;

    private readonly Action _hostWentDown;

    /// <param name="hostWentDown">Called when a host that answered stops answering (its pooled connections are dead).</param>
    public ReplicaMonitor(string connectionString, IEnumerable<string> primaryHosts, IEnumerable<string> replicaHosts, Action hostWentDown)
    {
        _hostWentDown = hostWentDown;
        foreach (var (host, isPrimary) in primaryHosts.Select(h => (h, true)).Concat(replicaHosts.Select(h => (h, false))))
        {
            // One small pool per host, with short timeouts: a check must never hang.
            var builder = new NpgsqlConnectionStringBuilder(connectionString)
            {
                Host = host,
                MaxPoolSize = 2,
                MinPoolSize = 0,
                Timeout = 3,
                CommandTimeout = 3,
                TargetSessionAttributes = null,
                Pooling = true,
            };
            _hosts.Add((host, NpgsqlDataSource.Create(builder.ConnectionString), new StoreHost(host, isPrimary)));
        }

        Check();
        _timer = new Timer(_ => Check(), null, Interval, Interval);
    }

    /// <summary>A copy of every host's last measured state.</summary>
    public IReadOnlyList<StoreHost> Hosts
    {
        get
        {
            lock (_gate)
            {
                return _hosts.Select(h => h.State.Copy()).ToList();
            }
        }
    }

    /// <summary>The last measured state of host:port, or null when it is not one of ours.</summary>
    public StoreHost? Find(string host, int port)
    {
        var key = $"{host}:{port}";
        lock (_gate)
        {
            return _hosts.FirstOrDefault(h => string.Equals(h.Host, key, StringComparison.OrdinalIgnoreCase)).State?.Copy();
        }
    }

    /// <summary>Measures every host now (also called by the timer; never two checks at once).</summary>
    public void Check()
    {
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        try
        {
            var results = _hosts.AsParallel().Select(h => (h.State, Result: Measure(h.Source))).ToList();
            var now = DateTime.UtcNow;
            var wentDown = false;
            lock (_gate)
            {
                foreach (var (state, result) in results.Where(r => r.Result.IsPrimary == true))
                {
                    _primaryPositions.Enqueue((now, result.Position));
                }

                while (_primaryPositions.Count > 7200)
                {
                    _primaryPositions.Dequeue();
                }

                foreach (var (state, result) in results)
                {
                    wentDown |= state.State == "up" && result.Error is not null;
                    state.CheckedAt = now;
                    state.Error = result.Error;
                    state.State = result.Error is null ? "up" : "down";
                    state.Role = result.IsPrimary switch { true => "primary", false => "standby", null => state.Role };
                    state.WalPosition = result.Error is null ? result.Position : state.WalPosition;
                    state.LagSeconds = result.IsPrimary == false ? LagOf(result.Position, now) : null;
                }
            }

            if (wentDown)
            {
                _hostWentDown();
            }
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        foreach (var host in _hosts)
        {
            host.Source.Dispose();
        }
    }

    // Seconds since the oldest primary position this standby has not replayed yet.
    private double LagOf(ulong replayed, DateTime now)
    {
        foreach (var (at, position) in _primaryPositions)
        {
            if (position > replayed)
            {
                return Math.Max(0, (now - at).TotalSeconds);
            }
        }

        return 0;
    }

    private static (bool? IsPrimary, ulong Position, string? Error) Measure(NpgsqlDataSource source)
    {
        try
        {
            using var connection = source.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT pg_is_in_recovery(), (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END - '0/0'::pg_lsn)::bigint";
            using var reader = command.ExecuteReader();
            reader.Read();
            var standby = reader.GetBoolean(0);
            var position = reader.IsDBNull(1) ? 0UL : (ulong)reader.GetInt64(1);
            return (!standby, position, null);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // A dead host's pool holds broken connections: drop them so the next check reconnects.
            source.Clear();
            return (null, 0, e.Message);
        }
    }
}
