using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Reads a store's tables inside one read transaction, so that the three tables come from one
/// consistent snapshot even while others keep writing (SQLite WAL snapshot; PostgreSQL
/// REPEATABLE READ, READ ONLY).
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
            _transaction = _connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: true)
                : _connection.BeginTransaction(IsolationLevel.RepeatableRead);
            if (store.Provider == StoreProvider.PostgreSql)
            {
                Dialects.CommandExtensions.Execute(_connection, "SET TRANSACTION READ ONLY", _transaction);
            }
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
        table.Select(DatabaseTables.ListColumns(_connection, _transaction, Provider, table.Name), _store.Database);

    public long Count(TransferTable table) => DatabaseTables.Count(_connection, _transaction, table);

    public IEnumerable<object?[]> Read(TransferTable table, IReadOnlyList<TransferColumn> columns, CancellationToken cancel) =>
        DatabaseTables.Read(_connection, _transaction, Provider, table, columns, _ordered, cancel);

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
