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
/// under -Merge, an upsert by natural key that returns the id the destination keeps); without
/// -Merge the dialect's bulk path replaces the plain INSERT where the provider has one
/// (PostgreSQL: binary COPY). The provider's pieces come from <see cref="BulkSink"/>.
/// </summary>
internal sealed class DatabaseSink : ITableSink
{
    // Parents are emptied after their children, whose foreign keys point at them.
    private static readonly string[] ChildrenFirst = [TransferTable.FileMetadata.Name, TransferTable.FilePaths.Name, TransferTable.ContentChunks.Name];

    // Source path_id → the destination's path_id, for merged records the destination already had.
    private readonly Dictionary<Guid, Guid> _pathIds = new();
    private readonly NexusStore _store;
    private readonly TransferMode _mode;
    private readonly DbConnection _connection;
    private readonly BulkSink _bulk;
    private DbCommand? _command;
    private DbParameter[] _parameters = [];
    private BulkColumn[] _columns = [];
    private TransferTable? _table;
    private bool _bulkPath;
    private int _parent = -1;
    private bool _committed;

    private DatabaseSink(NexusStore store, TransferMode mode)
    {
        _store = store;
        _mode = mode;
        _connection = store.OpenConnection(ConnectionIntent.Write);
        try
        {
            _bulk = store.Dialect.Transfer.OpenBulkSink(_connection);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public string Description => _store.Database;

    private DbTransaction Transaction => _bulk.Transaction;

    public static DatabaseSink Open(NexusStore store, TransferMode mode) => new(store, mode);

    public void Prepare(TransferTable table, IReadOnlyList<TransferColumn> columns) =>
        CheckColumns(_store, _connection, Transaction, table, columns);

    /// <summary>Fails unless <paramref name="store"/>'s table has exactly the source's columns.</summary>
    internal static void CheckColumns(NexusStore store, DbConnection connection, DbTransaction? transaction, TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        var present = store.Dialect.ListColumns(connection, transaction, table.Name);
        var mine = table.Select(present, store.Database);
        if (!mine.Select(c => c.Name).SequenceEqual(columns.Select(c => c.Name)))
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"The table {table.Name} has columns ({string.Join(", ", columns.Select(c => c.Name))}) in the source but ({string.Join(", ", mine.Select(c => c.Name))}) in {store.Database}.",
                table.Name, hint: "Bring both stores to the same schema revision with Invoke-NexusMigration.");
        }
    }

    public void Begin(TransferTable table, IReadOnlyList<TransferColumn> columns)
    {
        _table = table;
        _columns = columns.Select(ToBulkColumn).ToArray();
        _parent = table.ParentIndex(columns);
        _bulkPath = _mode != TransferMode.Merge && _bulk.BeginBulk(table.Name, _columns);
        if (_bulkPath)
        {
            return;
        }

        var names = columns.Select(c => c.Name).ToList();
        var sql = _bulk.BeginRows(table.Name, names, table.PrimaryKey, _mode == TransferMode.Merge ? table.NaturalKey : null);
        _command = _connection.CreateCommand(sql, Transaction);
        _parameters = _columns.Select((c, i) => _bulk.CreateParameter("@p" + i, c)).ToArray();
        _command.Parameters.AddRange(_parameters);
        _bulk.AddRowParameters(_command);
        if (_store.Target.Pooler != PoolerMode.PgBouncerTransaction)
        {
            _command.Prepare();   // PgBouncer 1.18 in transaction mode cannot keep a prepared statement
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public object?[] Write(object?[] row)
    {
        if (_bulkPath)
        {
            _bulk.WriteBulk(row);
            return row;
        }

        var table = _table!;
        if (_mode == TransferMode.Merge && _parent >= 0 && row[_parent] is Guid sourceParent && _pathIds.TryGetValue(sourceParent, out var kept))
        {
            row[_parent] = kept;
        }

        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = _bulk.ParameterValue(_columns[i], row[i]) ?? DBNull.Value;
        }

        var stored = _bulk.WriteRow(_command!, returnsKey: _mode == TransferMode.Merge) ?? throw NoRowWritten(table, row);
        if (_mode != TransferMode.Merge)
        {
            return row;
        }

        var id = stored is Guid g ? g : Guid.Parse((string)stored!);
        if (table == TransferTable.FilePaths && id != (Guid)row[0]!)
        {
            _pathIds[(Guid)row[0]!] = id;
        }

        row[0] = id;
        return row;
    }

    // A tenant-keyed destination takes an attribute's tenant from its file record: none, no row.
    private NexusException NoRowWritten(TransferTable table, object?[] row) => new(NexusErrorKind.InvalidData,
        $"{table.Name} row {table.PrimaryKey}='{RowConverter.Show(row[0]!)}': {(_parent >= 0 ? $"its file record (path_id '{RowConverter.Show(row[_parent]!)}') is not in {Description}" : $"{Description} wrote no row for it")}. Nothing was written to {Description}.",
        $"{table.Name}:{RowConverter.Show(row[0]!)}", hint: "Copy or import the file record with its attributes.");

    public void End()
    {
        if (_bulkPath)
        {
            _bulk.EndBulk();
            _bulkPath = false;
        }

        _command?.Dispose();
        _command = null;
    }

    public void FinishLoad(Action<string> phase) => _bulk.FinishLoad(phase, _store.Database);

    public IEnumerable<object?[]> ReadBack(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        DatabaseTables.Read(_connection, Transaction, _store.Dialect.Transfer, table, columns, ordered: false, cancel);

    public void Commit(IReadOnlyList<TableTransferResult> results)
    {
        Transaction.Commit();
        _committed = true;
        _bulk.AfterCommit(TransferTable.All.Select(t => t.Name).ToList());
    }

    public void Dispose()
    {
        _command?.Dispose();
        if (!_committed)
        {
            try
            {
                Transaction.Rollback();
            }
            catch (Exception)
            {
                // The connection may be broken already; closing it rolls back all the same.
            }
        }

        Transaction.Dispose();
        _connection.Dispose();
    }

    /// <summary>Counts rows already in the destination (used to refuse a non-empty one).</summary>
    public long CountExisting(TransferTable table) => DatabaseTables.Count(_connection, Transaction, table);

    /// <summary>Starts the transfer: under <see cref="TransferMode.Replace"/>, empties the tables first.</summary>
    public void Start()
    {
        if (_mode == TransferMode.Replace)
        {
            _bulk.EmptyTables(ChildrenFirst);
        }
    }

    internal static BulkColumn ToBulkColumn(TransferColumn column) => new(column.Name, column.Kind switch
    {
        ColumnKind.Uuid => BulkValueType.Uuid,
        ColumnKind.Json => BulkValueType.Json,
        ColumnKind.Timestamp => BulkValueType.Timestamp,
        ColumnKind.Integer => column.IsInt32 ? BulkValueType.Int32 : BulkValueType.Int64,
        _ => BulkValueType.Text,
    });
}
