using System.Data.Common;
using Nexus.Core.Dialects;

namespace Nexus.Core.Store;

/// <summary>
/// Runs the store engines' work on a connection (and, for writes, in one write transaction), and
/// turns every driver error into a <see cref="NexusException"/>: bad data as InvalidArgument,
/// anything else as the dialect says (unreachable, locked, …).
/// </summary>
internal sealed class StoreAccess
{
    public StoreAccess(NexusStore store)
    {
        store.RequireCurrentSchema();
        Store = store;
        Sql = SqlDialects.StoreSqlFor(store.Provider);
        Dialect = store.Dialect;
    }

    public NexusStore Store { get; }

    public IStoreSql Sql { get; }

    public ISqlDialect Dialect { get; }

    /// <summary>Runs <paramref name="work"/> in one write transaction; commits only if it returns.</summary>
    public T Write<T>(object? target, Func<DbConnection, DbTransaction, T> work)
    {
        try
        {
            using var connection = Store.OpenConnection(ConnectionIntent.Write);
            using var transaction = Sql.BeginWrite(connection);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (Exception e) when (e is not (NexusException or OperationCanceledException))
        {
            throw Translate(e, target);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a read connection.</summary>
    public T Read<T>(object? target, Func<DbConnection, T> work)
    {
        try
        {
            using var connection = Store.OpenConnection(ConnectionIntent.Read);
            return work(connection);
        }
        catch (Exception e) when (e is not (NexusException or OperationCanceledException))
        {
            throw Translate(e, target);
        }
    }

    /// <summary>Streams rows read by <paramref name="read"/> from a command made by <paramref name="command"/>.</summary>
    public IEnumerable<T> Stream<T>(object? target, Action<DbConnection> prepare, Func<DbConnection, DbCommand> command, Func<DbDataReader, T> read)
    {
        DbConnection? connection = null;
        DbCommand? query = null;
        DbDataReader? reader = null;
        try
        {
            try
            {
                connection = Store.OpenConnection(ConnectionIntent.Read);
                prepare(connection);
                query = command(connection);
                reader = query.ExecuteReader();
            }
            catch (Exception e) when (e is not NexusException)
            {
                throw Translate(e, target);
            }

            while (true)
            {
                T item;
                try
                {
                    if (!reader.Read())
                    {
                        yield break;
                    }

                    item = read(reader);
                }
                catch (Exception e) when (e is not NexusException)
                {
                    throw Translate(e, target);
                }

                yield return item;
            }
        }
        finally
        {
            reader?.Dispose();
            query?.Dispose();
            connection?.Dispose();
        }
    }

    public NexusException Translate(Exception error, object? target) =>
        error as NexusException ?? Sql.TranslateDataError(error, target) ?? Dialect.Translate(error, Store.Target);
}
