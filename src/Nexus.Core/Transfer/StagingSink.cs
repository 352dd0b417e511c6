using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Loads into staging tables and swaps them in, where that is safe (see <see cref="TryOpen"/>):
/// the module's migrations build the tables in a staging schema; each table loads on its own
/// connection and, as soon as its load ends, its keys and indexes are built and it is verified
/// on other connections while the next table loads: the server computes a digest of the rows the
/// table holds and the sink compares it with the same digest of the rows it wrote
/// (<see cref="IStagedDigest"/>), so no row is read back unless the two differ; then the table is
/// read back and checksummed, and that checksum decides. Once every checksum
/// matches, one short transaction replaces the store's (empty) tables and migration journal with
/// the staging ones. Until then the store's tables are never written: a failure, Ctrl+C or a
/// killed process leaves them as they were, and the next run drops the staging schema first.
/// </summary>
internal sealed class StagingSink : ITableSink, IVerifiedSink
{
    /// <summary>The schema the tables are loaded in, beside the store's own.</summary>
    public const string StagingSchema = "nexus_staging";

    private static readonly IReadOnlyList<string> TableNames = TransferTable.All.Select(t => t.Name).ToList();

    private readonly NexusStore _home;
    private readonly NexusStore _staging;
    private readonly IStagingSql _sql;
    private readonly DbConnection _locked;
    private readonly string _homeSchema;
    private readonly IStagedKeys _keys;
    private readonly int _batchSize;
    private readonly CancellationTokenSource _stop;
    // Index builds at once: the machine's cores, shared with the load still running.
    private readonly SemaphoreSlim _buildSlots = new(Math.Max(2, Environment.ProcessorCount));
    private readonly Dictionary<string, Task> _keysBuilt = new();
    private readonly Dictionary<string, Task<Verification>> _readBack = new();
    private readonly Action<string>? _log;
    private DbConnection? _loading;
    private BulkSink? _bulk;
    private TransferTable? _table;
    private IReadOnlyList<TransferColumn> _columns = [];
    private IStagedDigest? _digest;
    private bool _committed;

    private StagingSink(NexusStore home, NexusStore staging, IStagingSql sql, DbConnection locked, string homeSchema, IStagedKeys keys, int batchSize, Action<string>? log, CancellationToken cancel)
    {
        _log = log;
        _home = home;
        _locked = locked;
        _staging = staging;
        _sql = sql;
        _homeSchema = homeSchema;
        _keys = keys;
        _batchSize = batchSize;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
    }

    public string Description => _home.Database;

    /// <summary>
    /// The staging sink when the destination's tables may be replaced wholesale: the provider
    /// stages, the transfer neither merges nor replaces rows, and the tables hold no rows and
    /// nothing the module's migrations do not create (compared in the catalog with freshly
    /// migrated staging tables). Otherwise null, and the caller loads in one transaction; either
    /// way <paramref name="log"/> says which path and why.
    /// </summary>
    public static StagingSink? TryOpen(NexusStore destination, TransferOptions options, Action<string>? log, CancellationToken cancel)
    {
        if (destination.Dialect.Staging is not { } sql)
        {
            return null;
        }

        var why = options.Mode switch
        {
            TransferMode.Merge => "-Merge upserts into the rows already there",
            TransferMode.Replace => "-Force replaces the rows already there",
            _ => destination.Target.Pooler == Connection.PoolerMode.PgBouncerTransaction ? "the destination is behind PgBouncer in transaction mode" : null,
        };
        if (why is not null)
        {
            log?.Invoke(OneTransaction(why));
            return null;
        }

        // This session holds the staging lock (and the connection) until the sink is disposed.
        var connection = destination.OpenConnection(ConnectionIntent.Write);
        StagingSink? sink = null;
        try
        {
            if (!sql.TryLockStaging(connection, StagingSchema))
            {
                log?.Invoke(OneTransaction($"another copy is loading through the staging schema {StagingSchema} of this destination now"));
                connection.Dispose();
                return null;
            }

            sink = Open(destination, sql, connection, options, log, cancel);
            return sink;
        }
        finally
        {
            if (sink is null)
            {
                Release(sql, connection);
            }
        }
    }

    private static StagingSink? Open(NexusStore destination, IStagingSql sql, DbConnection connection, TransferOptions options, Action<string>? log, CancellationToken cancel)
    {
        var homeSchema = sql.HomeSchema(connection);
        if (sql.DropStaging(connection, StagingSchema))
        {
            log?.Invoke($"Dropped the staging schema {StagingSchema} that a stopped earlier copy left (the store's tables were never touched by it).");
        }

        // The migrations build the staging tables in the plain layout; swapped in, they would undo
        // a partitioned or distributed store's layout.
        if (destination.Dialect.Layout.Read(connection) is { IsTenantKeyed: true } layout)
        {
            log?.Invoke(OneTransaction($"the destination's tables are {layout.Name} (tenant-keyed), and staging tables are built in the plain layout"));
            return null;
        }

        if (TransferTable.All.FirstOrDefault(t => DatabaseTables.HasRows(connection, null, t)) is { } held)
        {
            log?.Invoke(OneTransaction($"{held.Name} holds rows"));
            return null;
        }

        if (!sql.MayCreateSchema(connection))
        {
            log?.Invoke(OneTransaction($"the user {destination.UserName} may not create the schema {StagingSchema} in this database"));
            return null;
        }

        sql.CreateStaging(connection, StagingSchema);
        NexusStore? staging = null;
        try
        {
            staging = StoreOpener.Open(sql.StagingTarget(destination.Target, StagingSchema), createSchema: false);
            new MigrationRunner(staging).MigrateTo(destination.SchemaRevision!);
            var why = sql.WhyNotReplaceable(connection, null, homeSchema, StagingSchema, TableNames);
            if (why is not null)
            {
                staging.Dispose();
                sql.DropStaging(connection, StagingSchema);
                log?.Invoke(OneTransaction(why));
                return null;
            }

            IStagedKeys keys;
            using (var stagingConnection = staging.OpenConnection(ConnectionIntent.Write))
            {
                keys = sql.StripKeys(stagingConnection);
            }

            log?.Invoke($"Loading through staging tables in the schema {StagingSchema} and swapping them in at the end: the destination's tables are empty and hold nothing the module's migrations do not create.");
            return new StagingSink(destination, staging, sql, connection, homeSchema, keys, options.BatchSize, log, cancel);
        }
        catch
        {
            staging?.Dispose();
            try
            {
                sql.DropStaging(connection, StagingSchema);
            }
            catch (Exception)
            {
                // The next run drops it first.
            }

            throw;
        }
    }

    public void Prepare(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        using var connection = _staging.OpenConnection(ConnectionIntent.Write);
        DatabaseSink.CheckColumns(_staging, connection, null, table, columns);
    }

    public void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        _table = table;
        _columns = columns;
        _loading = _staging.OpenConnection(ConnectionIntent.Write);
        _bulk = _sql.OpenLoad(_loading);
        var bulkColumns = columns.Select(DatabaseSink.ToBulkColumn).ToList();
        _digest = _sql.Digest(bulkColumns);
        if (!_bulk.BeginBulk(table.Name, bulkColumns))
        {
            throw new InvalidOperationException("A staging load needs the provider's bulk path.");
        }
    }

    public object?[] Write(object?[] row)
    {
        _bulk!.WriteBulk(row);
        _digest!.Add(row);
        return row;
    }

    public void End()
    {
        _bulk!.EndBulk();
        _bulk.Transaction.Commit();
        _bulk = null;
        _loading!.Dispose();
        _loading = null;

        // Each index on its own connection (at most IndexBuilds at once over all tables), then
        // the keys attached to theirs and, once the parent's keys exist, the foreign keys; the
        // read-back alongside. All of it overlaps the next table's load.
        var table = _table!;
        var columns = _columns;
        var digest = _digest!;
        _digest = null;
        var parent = table.ParentColumn is null ? Task.CompletedTask : _keysBuilt[TransferTable.FilePaths.Name];
        var builds = _keys.Builds(table.Name).Select(name => Task.Run(() =>
        {
            _buildSlots.Wait();
            try
            {
                using var connection = _staging.OpenConnection(ConnectionIntent.Write);
                _keys.Build(connection, table.Name, name);
            }
            finally
            {
                _buildSlots.Release();
            }
        })).ToArray();
        _keysBuilt[table.Name] = Task.Run(() =>
        {
            foreach (var build in builds)
            {
                build.GetAwaiter().GetResult();   // the first failure, as thrown
            }

            using var connection = _staging.OpenConnection(ConnectionIntent.Write);
            _keys.AttachKeys(connection, table.Name);
            parent.GetAwaiter().GetResult();
            _keys.BuildForeignKeys(connection, table.Name);
        });
        _readBack[table.Name] = Task.Run(() => VerifyNow(table, columns, digest), _stop.Token);
    }

    public void FinishLoad(Action<string> phase)
    {
        phase("Verifying the loaded tables while their keys and indexes are built");
        foreach (var task in _keysBuilt.Values.Concat<Task>(_readBack.Values))
        {
            task.GetAwaiter().GetResult();   // the first failure, as thrown
        }
    }

    /// <summary>
    /// <paramref name="written"/> itself when the server's digest of the table equals that of the
    /// rows written (the table holds exactly those rows, so its checksum is theirs); otherwise the
    /// checksum of the rows read back.
    /// </summary>
    public TableChecksum ReadBackChecksum(TransferTable table, TableChecksum written)
    {
        var verification = _readBack[table.Name].GetAwaiter().GetResult();
        if (verification.ReadBack is null)
        {
            _log?.Invoke($"{table.Name}: verified inside PostgreSQL, nothing read back ({verification.Detail}).");
            return written;
        }

        _log?.Invoke($"{table.Name}: the digest inside PostgreSQL differs from the rows written ({verification.Detail}); the table was read back to compare checksums.");
        return verification.ReadBack;
    }

    /// <summary>Nothing: <see cref="ReadBackChecksum"/> has verified every table already.</summary>
    public IEnumerable<object?[]> ReadBack(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) => [];

    public void Commit(IReadOnlyList<TableTransferResult> results)
    {
        using (var connection = _home.OpenConnection(ConnectionIntent.Write))
        {
            _sql.Swap(connection, _homeSchema, StagingSchema, TableNames, MigrationJournal.TableName);
        }

        _committed = true;
        _home.RefreshSchemaRevision();

        // Fresh statistics, so the first queries on the new data get sensible plans; the three
        // tables at once.
        Parallel.ForEach(TableNames, table =>
        {
            using var connection = _home.OpenConnection(ConnectionIntent.Write);
            _sql.Analyze(connection, table);
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_bulk is not null)
        {
            try
            {
                _bulk.Transaction.Rollback();
            }
            catch (Exception)
            {
                // The connection may be broken already; closing it rolls back all the same.
            }
        }

        _loading?.Dispose();
        foreach (var task in _keysBuilt.Values.Concat<Task>(_readBack.Values))
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
                // Reported by FinishLoad, or beside the point once the copy failed.
            }
        }

        _staging.Dispose();
        if (!_committed)
        {
            try
            {
                _sql.DropStaging(_locked, StagingSchema);
            }
            catch (Exception)
            {
                // The next run drops it first.
            }
        }

        Release(_sql, _locked);
        _stop.Dispose();
        _buildSlots.Dispose();
    }

    /// <summary>Releases the staging lock and closes its session.</summary>
    private static void Release(IStagingSql sql, DbConnection connection)
    {
        try
        {
            sql.UnlockStaging(connection, StagingSchema);
        }
        catch (Exception)
        {
            // A broken session has released it already.
        }

        connection.Dispose();
    }

    private static string OneTransaction(string why) => $"Loading in one transaction on the destination's own tables (no staging tables): {why}.";

    /// <summary>The server's digest of a loaded staging table against the rows written; on a difference, the table read back.</summary>
    private Verification VerifyNow(TransferTable table, IReadOnlyList<TransferColumn> columns, IStagedDigest digest)
    {
        string detail;
        using (var connection = _staging.OpenConnection(ConnectionIntent.Read))
        {
            if (digest.MatchesServer(connection, table.Name, out detail))
            {
                return new Verification(null, detail);
            }
        }

        return new Verification(ReadBackNow(table, columns), detail);
    }

    /// <summary>Reads a loaded staging table back and checksums it (reading and hashing on two threads).</summary>
    private TableChecksum ReadBackNow(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        var checksum = new TableChecksum();
        using var connection = _staging.OpenConnection(ConnectionIntent.Read);
        RowPipeline.Run(
            (emit, stop) =>
            {
                foreach (var row in DatabaseTables.Read(connection, null, _staging.Dialect.Transfer, table, columns, ordered: false, stop))
                {
                    if (RowConverter.Convert(row, columns) is { } problem)
                    {
                        throw new NexusException(NexusErrorKind.InvalidData,
                            $"{table.Name} in {Description} holds a value that cannot be read back ({problem.Column}: {problem.Reason}). Nothing was committed.", table.Name);
                    }

                    emit(row);
                }
            },
            batch =>
            {
                foreach (var row in batch)
                {
                    checksum.Add(row);
                }
            },
            _batchSize,
            _stop.Token);
        return checksum;
    }

    /// <summary>How one table was verified: <see cref="ReadBack"/> is null when the digests matched.</summary>
    private sealed record Verification(TableChecksum? ReadBack, string Detail);
}
