using Npgsql;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Read-your-writes for a store that reads from replicas. When a write connection closes, the
/// next read takes the primary's WAL position; a standby serves that read only once it has
/// replayed up to there. The read waits up to <see cref="Wait"/> for the standby to catch up
/// (once per write: later reads check without waiting) and otherwise goes to the primary.
/// </summary>
internal sealed class WriteWatermark
{
    /// <summary>How long a read waits for a standby to replay this store's last write.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private bool _written;
    private ulong _position;
    private bool _waited;

    /// <summary>A write connection of this store closed: its commits must be visible to later reads.</summary>
    public void MarkWritten()
    {
        lock (_gate)
        {
            _written = true;
        }
    }

    /// <summary>
    /// True when <paramref name="standby"/> has replayed this store's writes (waiting for it at
    /// most once per write); <paramref name="primaryPosition"/> reads the primary's WAL position.
    /// </summary>
    public bool IsCaughtUp(NpgsqlConnection standby, Func<ulong> primaryPosition)
    {
        ulong target;
        bool wait;
        lock (_gate)
        {
            if (_written)
            {
                _written = false;
                var now = primaryPosition();
                if (now > _position)
                {
                    _position = now;
                    _waited = false;
                }
            }

            target = _position;
            wait = !_waited;
        }

        if (target == 0)
        {
            return true;
        }

        var deadline = DateTime.UtcNow + (wait ? Wait : TimeSpan.Zero);
        while (true)
        {
            if (ReplayedPosition(standby) >= target)
            {
                lock (_gate)
                {
                    if (_position == target && !_written)
                    {
                        _position = 0;
                    }
                }

                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                lock (_gate)
                {
                    _waited = true;
                }

                return false;
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>The WAL position, in bytes, that a connection's server has replayed or (primary) written.</summary>
    public static ulong ReplayedPosition(NpgsqlConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (COALESCE(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END, '0/0') - '0/0'::pg_lsn)::bigint";
        return (ulong)(long)command.ExecuteScalar()!;
    }
}
