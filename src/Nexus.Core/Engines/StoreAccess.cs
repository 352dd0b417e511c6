using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Engines;

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
        // The statements of the store's layout, as read when it was opened (or last refreshed).
        Sql = store.Dialect.StoreFor(store.Layout);
        Dialect = store.Dialect;
    }

    public NexusStore Store { get; }

    /// <summary>The statements of the store's layout (changed by <see cref="FollowLayout"/>).</summary>
    public IStoreSql Sql { get; private set; }

    /// <summary>
    /// Re-reads the store's layout and takes its statements; true when they differ from the ones
    /// used until now (the layout was converted since they were chosen).
    /// </summary>
    public bool FollowLayout()
    {
        var fresh = Dialect.StoreFor(Store.RefreshLayout());
        if (ReferenceEquals(fresh, Sql))
        {
            return false;
        }

        Sql = fresh;
        return true;
    }

    public ISqlDialect Dialect { get; }

    /// <summary>Where the store reports what it retries (a cmdlet's -Verbose); may be called from any thread.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction; commits only if it returns. A
    /// transaction the server rolled back to break a deadlock runs again (bounded, with jittered
    /// backoff); one that found its pooled connection dead before COMMIT runs once more on a new
    /// connection; a connection lost during COMMIT is an OutcomeUnknown error, never a blind retry
    /// (it may have committed). <paramref name="work"/> must therefore be safe to run again. On
    /// PostgreSQL the whole call, retries included, is bounded by a <see cref="CallDeadline"/>.
    /// </summary>
    public T Write<T>(object? target, Func<DbConnection, DbTransaction, T> work) =>
        Bounded(target, deadline => WriteNow(target, work, deadline));

    private T WriteNow<T>(object? target, Func<DbConnection, DbTransaction, T> work, CallDeadline? deadline)
    {
        var retries = new StoreRetries(this, target);
        while (true)
        {
            deadline?.ThrowIfAbandoned();
            var committing = false;
            try
            {
                using var connection = Open(ConnectionIntent.Write, deadline);
                var transaction = Sql.BeginWrite(connection);
                try
                {
                    var result = work(connection, transaction);
                    deadline?.BeginCommit();
                    committing = true;
                    transaction.Commit();
                    return result;
                }
                finally
                {
                    EndQuietly(transaction);
                }
            }
            catch (Exception e) when (e is not (NexusException or OperationCanceledException))
            {
                if (committing && Dialect.Classify(e) is WriteFailure.BrokenConnection or WriteFailure.NoAnswer)
                {
                    Store.Primary.ClearPool();
                    throw UnknownOutcome(target, e);
                }

                if (!retries.ShouldRetry(e))
                {
                    throw Translate(e, target);
                }
            }
        }
    }

    /// <summary>The error for a write whose COMMIT was sent but not answered: it may or may not be stored.</summary>
    internal NexusException UnknownOutcome(object? target, Exception error) =>
        new(NexusErrorKind.OutcomeUnknown,
            $"The connection to {Store.Database} broke (or the server stopped answering) while committing {Describe(target)}: it may or may not be stored.",
            target, error, hint: "Check with Get-NexusMetadata (or Get-NexusAttribute, Get-NexusChunk) before writing it again; it was not retried, because a second write would count twice.");

    // Rolls back what did not commit. A failed rollback must not hide the failure that caused it:
    // SQLite itself rolls back on a full disk, and its "no transaction is active" would replace
    // "disk full"; a dead connection cannot roll back, and the server drops the transaction anyway.
    private static void EndQuietly(DbTransaction transaction)
    {
        try
        {
            transaction.Dispose();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException)
        {
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a read connection (once more on a new one if the pooled one
    /// was dead); on PostgreSQL bounded by a <see cref="CallDeadline"/>.
    /// </summary>
    public T Read<T>(object? target, Func<DbConnection, T> work) =>
        Bounded(target, deadline => ReadNow(target, work, deadline));

    private T ReadNow<T>(object? target, Func<DbConnection, T> work, CallDeadline? deadline)
    {
        var retries = new StoreRetries(this, target);
        while (true)
        {
            deadline?.ThrowIfAbandoned();
            try
            {
                using var connection = Open(ConnectionIntent.Read, deadline);
                return work(connection);
            }
            catch (Exception e) when (e is not (NexusException or OperationCanceledException))
            {
                if (!retries.ShouldRetry(e))
                {
                    throw Translate(e, target);
                }
            }
        }
    }

    /// <summary>
    /// Streams rows read by <paramref name="read"/> from a command made by <paramref name="command"/>.
    /// Opening, running the command and fetching the first row are bounded like <see cref="Read"/>;
    /// later rows wait as Npgsql does (-CommandTimeout, then its cancel request).
    /// </summary>
    public IEnumerable<T> Stream<T>(object? target, Action<DbConnection> prepare, Func<DbConnection, DbCommand> command, Func<DbDataReader, T> read)
    {
        OpenedReader? opened = null;
        try
        {
            opened = Bounded(target, deadline => OpenReader(target, prepare, command, deadline), abandoned => abandoned.Dispose());
            var hasRow = opened.HasRow;
            while (hasRow)
            {
                T item;
                try
                {
                    item = read(opened.Reader);
                }
                catch (Exception e) when (e is not NexusException)
                {
                    throw Translate(e, target);
                }

                yield return item;
                try
                {
                    hasRow = opened.Reader.Read();
                }
                catch (Exception e) when (e is not NexusException)
                {
                    throw Translate(e, target);
                }
            }
        }
        finally
        {
            opened?.Dispose();
        }
    }

    private OpenedReader OpenReader(object? target, Action<DbConnection> prepare, Func<DbConnection, DbCommand> command, CallDeadline? deadline)
    {
        var retries = new StoreRetries(this, target);
        while (true)
        {
            deadline?.ThrowIfAbandoned();
            DbConnection? connection = null;
            DbCommand? query = null;
            DbDataReader? reader = null;
            try
            {
                connection = Open(ConnectionIntent.Read, deadline);
                prepare(connection);
                query = command(connection);
                reader = query.ExecuteReader();
                return new OpenedReader(connection, query, reader, reader.Read());
            }
            catch (Exception e) when (e is not NexusException)
            {
                reader?.Dispose();
                query?.Dispose();
                connection?.Dispose();
                if (e is OperationCanceledException || !retries.ShouldRetry(e))
                {
                    throw Translate(e, target);
                }
            }
        }
    }

    /// <summary>A running query of <see cref="Stream"/>, positioned on its first row if <see cref="HasRow"/>.</summary>
    private sealed record OpenedReader(DbConnection Connection, DbCommand Query, DbDataReader Reader, bool HasRow) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Query.Dispose();
            Connection.Dispose();
        }
    }

    // The call under a CallDeadline where the driver can overrun its own timeout (see ISqlDialect.NeedsCallDeadline).
    private T Bounded<T>(object? target, Func<CallDeadline?, T> call, Action<T>? discard = null) =>
        Dialect.NeedsCallDeadline
            ? CallDeadline.Run(Store.CommandTimeout, Store.ConnectTimeout ?? 0,
                (committing, timeout) => committing ? UnknownOutcome(target, timeout) : Translate(timeout, target), call, discard)
            : call(null);

    private DbConnection Open(ConnectionIntent intent, CallDeadline? deadline) =>
        deadline is null ? Store.OpenConnection(intent) : deadline.WhileConnecting(() => Store.OpenConnection(intent));

    /// <summary>How a target shows in a message: a path or a count, as the engines name their batches.</summary>
    internal static string Describe(object? target) => target switch
    {
        null => "this call",
        string text when text.StartsWith('/') => $"'{TextRules.Printable(text)}'",
        _ => $"the batch of {target}",
    };

    public NexusException Translate(Exception error, object? target) =>
        error as NexusException ?? Sql.TranslateDataError(error, target) ?? Dialect.Translate(error, Store.Target);
}
