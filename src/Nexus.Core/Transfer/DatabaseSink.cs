using System.Runtime.CompilerServices;
using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Writes into a store inside one transaction for the whole transfer, so a killed or failed
/// transfer leaves the destination exactly as it was. Rows go in through a prepared INSERT (or,
/// under -Merge, an upsert by natural key that returns the id the destination keeps); PostgreSQL
/// replaces the plain INSERT by binary COPY (see <see cref="PostgresSink"/>).
/// </summary>
internal abstract class DatabaseSink : ITableSink
{
    // Source path_id → the destination's path_id, for merged records the destination already had.
    private readonly Dictionary<Guid, Guid> _pathIds = new();
    private DbCommand? _command;
    private DbParameter[] _parameters = [];
    private int _parent = -1;
    private bool _committed;

    protected DatabaseSink(NexusStore store, TransferMode mode)
    {
        Store = store;
        Mode = mode;
        Connection = store.OpenConnection(ConnectionIntent.Write);
    }

    public string Description => Store.Database;

    protected NexusStore Store { get; }

    protected TransferMode Mode { get; }

    protected DbConnection Connection { get; }

    protected DbTransaction Transaction { get; set; } = null!;

    protected TransferTable? Table { get; private set; }

    protected IReadOnlyList<TransferColumn> Columns { get; private set; } = [];

    public static DatabaseSink Open(NexusStore store, TransferMode mode) =>
        store.Provider == StoreProvider.PostgreSql ? new PostgresSink(store, mode) : new SqliteSink(store, mode);

    public void Prepare(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        var present = DatabaseTables.ListColumns(Connection, Transaction, Store.Provider, table.Name);
        var mine = table.Select(present, Store.Database);
        if (!mine.Select(c => c.Name).SequenceEqual(columns.Select(c => c.Name)))
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"The table {table.Name} has columns ({string.Join(", ", columns.Select(c => c.Name))}) in the source but ({string.Join(", ", mine.Select(c => c.Name))}) in {Store.Database}. Bring both stores to the same schema revision with Invoke-NexusMigration.",
                table.Name);
        }
    }

    public virtual void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        Table = table;
        Columns = columns;
        _parent = table.ParentIndex(columns);
        var names = columns.Select(c => c.Name).ToList();
        var sql = $"INSERT INTO {table.Name} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select((_, i) => "@p" + i))})";
        if (Mode == TransferMode.Merge)
        {
            var updates = names.Where(n => n != table.PrimaryKey && !table.NaturalKey.Contains(n)).Select(n => $"{n} = excluded.{n}");
            sql += $" ON CONFLICT ({string.Join(", ", table.NaturalKey)}) DO UPDATE SET {string.Join(", ", updates)} RETURNING {table.PrimaryKey}";
        }

        _command = Connection.CreateCommand(sql, Transaction);
        _parameters = columns.Select((c, i) => CreateParameter(_command, "@p" + i, c)).ToArray();
        _command.Parameters.AddRange(_parameters);
        if (Store.Target.Pooler != PoolerMode.PgBouncerTransaction)
        {
            _command.Prepare();   // PgBouncer 1.18 in transaction mode cannot keep a prepared statement
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public virtual object?[] Write(object?[] row)
    {
        var table = Table!;
        if (Mode == TransferMode.Merge && _parent >= 0 && row[_parent] is Guid sourceParent && _pathIds.TryGetValue(sourceParent, out var kept))
        {
            row[_parent] = kept;
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = ToParameterValue(Columns[i], row[i]) ?? DBNull.Value;
        }

        if (Mode != TransferMode.Merge)
        {
            _command!.ExecuteNonQuery();
            return row;
        }

        var stored = _command!.ExecuteScalar();
        var id = stored is Guid g ? g : Guid.Parse((string)stored!);
        if (table == TransferTable.FilePaths && id != (Guid)row[0]!)
        {
            _pathIds[(Guid)row[0]!] = id;
        }

        row[0] = id;
        return row;
    }

    public virtual void End()
    {
        _command?.Dispose();
        _command = null;
    }

    public virtual void FinishLoad(Action<string> phase)
    {
    }

    public IEnumerable<object?[]> ReadBack(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        DatabaseTables.Read(Connection, Transaction, Store.Provider, table, columns, ordered: false, cancel);

    public virtual void Commit(IReadOnlyList<TableTransferResult> results)
    {
        Transaction.Commit();
        _committed = true;
    }

    public void Dispose()
    {
        _command?.Dispose();
        if (!_committed)
        {
            try
            {
                Transaction?.Rollback();
            }
            catch (Exception)
            {
                // The connection may be broken already; closing it rolls back all the same.
            }
        }

        Transaction?.Dispose();
        Connection.Dispose();
    }

    /// <summary>Deletes every row of the three tables (children first), inside the transaction.</summary>
    protected abstract void DeleteEverything();

    protected abstract DbParameter CreateParameter(DbCommand command, string name, TransferColumn column);

    protected abstract object? ToParameterValue(TransferColumn column, object? value);

    /// <summary>Counts rows already in the destination (used to refuse a non-empty one).</summary>
    public long CountExisting(TransferTable table) => DatabaseTables.Count(Connection, Transaction, table);

    /// <summary>Starts the transfer: under <see cref="TransferMode.Replace"/>, empties the tables first.</summary>
    public void Start()
    {
        if (Mode == TransferMode.Replace)
        {
            DeleteEverything();
        }
    }
}
