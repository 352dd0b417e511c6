using System.Data.Common;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Reads a store's tables inside one read transaction, so that the three tables come from one
/// consistent snapshot even while others keep writing (the dialect's snapshot read).
/// </summary>
internal sealed class DatabaseSource : ITableSource
{
    private readonly NexusStore _store;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly bool _ordered;

    public DatabaseSource(NexusStore store, bool ordered)
    {
        _store = store;
        _ordered = ordered;
        store.RefreshSchemaRevision();
        SchemaRevision = store.SchemaRevision ?? throw new NexusException(NexusErrorKind.SchemaMismatch,
            $"The source store {store.Database} has no Nexus schema (no migration applied), so there is nothing to transfer.", store);
        _connection = store.OpenConnection(ConnectionIntent.Read);
        try
        {
            _transaction = store.Dialect.Transfer.BeginSnapshotRead(_connection);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public string Description => _store.Database;

    public StoreProvider Provider => _store.Provider;

    public string SchemaRevision { get; }

    public IReadOnlyList<TransferColumn> Columns(TransferTable table) =>
        table.Select(_store.Dialect.ListColumns(_connection, _transaction, table.Name), _store.Database);

    public long Count(TransferTable table) => DatabaseTables.Count(_connection, _transaction, table);

    public IEnumerable<object?[]> Read(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        DatabaseTables.Read(_connection, _transaction, _store.Dialect.Transfer, table, columns, _ordered, cancel);

    /// <summary>Only the candidate rows leave the database (the scan for NaN and Infinity runs there).</summary>
    public IEnumerable<object?[]> ReadNonFiniteCandidates(TransferTable table, IReadOnlyList<TransferColumn> columns, TransferColumn json, CancellationToken cancel) =>
        DatabaseTables.Read(_connection, _transaction, _store.Dialect.Transfer, table, columns, ordered: false, cancel, _store.Dialect.Transfer.NonFiniteCandidates(json.Name));

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
