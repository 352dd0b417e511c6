using System.Data.Common;
using System.Diagnostics;
using Nexus.Core.Dialects;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;
using Nexus.Core.Transfer;

namespace Nexus.Core.Layouts;

/// <summary>
/// Convert-NexusStore: rebuilds a store's three tables in another layout, beside the old ones.
/// Under a conversion lock, the new tables are built in the work schema <see cref="WorkSchema"/>
/// (the keyed layouts by the dialect's layout script, plain by the module's migrations, so it is
/// exactly what they make). Then, under the migration lock and in ONE transaction that blocks
/// writers on the old tables: every row is copied server-side, both sides are checksummed with
/// the transfer engine's <see cref="TableChecksum"/> over the plain columns, and only when every
/// checksum matches are the old tables dropped and the new ones moved in. A failure, Ctrl+C or a
/// killed process rolls that transaction back: the old tables stay as they were, and the next run
/// drops the work schema first. The migration journal and alembic_version are not touched.
/// </summary>
public static class LayoutConversion
{
    /// <summary>The schema the new tables are built in, beside the store's own.</summary>
    public const string WorkSchema = "nexus_layout";

    /// <summary>How long a conversion waits for a migration that is running, and writers for the lock.</summary>
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The layout the store's tables have now, as the catalog shows it.</summary>
    public static StoreLayout Current(NexusStore store)
    {
        using var connection = store.OpenConnection(ConnectionIntent.Write);
        return store.Dialect.Layout.Read(connection);
    }

    /// <summary>What converting <paramref name="store"/> to <paramref name="target"/> would do; refuses a layout the database cannot hold.</summary>
    public static LayoutConversionPlan Plan(NexusStore store, StoreLayout target)
    {
        store.RequireCurrentSchema();
        using var connection = store.OpenConnection(ConnectionIntent.Write);
        var current = store.Dialect.Layout.Read(connection);
        if (current != target)
        {
            Refuse(store, connection, target);
        }

        return new LayoutConversionPlan
        {
            Store = store.Database,
            Current = current,
            Target = target,
            Rows = TransferTable.All.Select(t => KeyValuePair.Create(t.Name, DatabaseTables.Count(connection, null, t))).ToList(),
        };
    }

    /// <summary>
    /// Converts <paramref name="store"/> to <paramref name="target"/> (see the class summary).
    /// <paramref name="log"/> gets verbose lines, <paramref name="progress"/> a phase and a percentage.
    /// </summary>
    public static LayoutConversionResult Run(NexusStore store, StoreLayout target, Action<string>? log, Action<string, int>? progress, CancellationToken cancel)
    {
        try
        {
            return RunLocked(store, target, log, progress, cancel);
        }
        catch (Exception e) when (cancel.IsCancellationRequested && e is not OperationCanceledException)
        {
            // A statement cancelled by Ctrl+C fails as the server's "canceling statement".
            throw new OperationCanceledException("The conversion was stopped; the store's tables are as they were.", e, cancel);
        }
        catch (DbException e)
        {
            throw store.Dialect.Translate(e, store.Target);
        }
    }

    private static LayoutConversionResult RunLocked(NexusStore store, StoreLayout target, Action<string>? log, Action<string, int>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        store.RequireCurrentSchema();
        var dialect = store.Dialect;
        using var locked = store.OpenConnection(ConnectionIntent.Write);
        var current = dialect.Layout.Read(locked);
        if (current == target)
        {
            log?.Invoke($"{store.Database} has the layout {target} already; nothing to do.");
            return Result(store, current, target, false, [], clock.Elapsed);
        }

        Refuse(store, locked, target);
        var conversion = dialect.Conversion!;
        var staging = dialect.Staging!;
        LockConversion(store, locked, log, cancel);

        try
        {
            var home = staging.HomeSchema(locked);
            if (staging.DropStaging(locked, WorkSchema))
            {
                log?.Invoke($"Dropped the work schema {WorkSchema} that a stopped earlier conversion left (the store's tables were never touched by it).");
            }

            try
            {
                progress?.Invoke($"Building the {target} tables in the schema {WorkSchema}", 0);
                Build(store, locked, target, log);
                var indexes = store.Dialect.Conversion!.StripForLoad(locked, WorkSchema, TransferTable.All.Select(t => t.Name).ToList());
                cancel.ThrowIfCancellationRequested();
                var tables = CopyAndSwap(store, home, current, target, indexes, log, progress, cancel);
                log?.Invoke($"{store.Database} has the layout {target} now (it had {current}).");
                store.RefreshLayout();   // the store's statements follow its new tables from the next call on
                Analyze(store);
                return Result(store, current, target, true, tables, clock.Elapsed);
            }
            catch
            {
                try
                {
                    staging.DropStaging(locked, WorkSchema);
                }
                catch (Exception)
                {
                    // The next run drops it first.
                }

                throw;
            }
        }
        finally
        {
            try
            {
                staging.UnlockStaging(locked, WorkSchema);
            }
            catch (Exception)
            {
                // A broken session has released it already.
            }
        }
    }

    /// <summary>
    /// Takes the conversion lock, waiting up to <see cref="LockTimeout"/> for another conversion
    /// (or the server session of one whose process was killed, which ends with its statement).
    /// </summary>
    private static void LockConversion(NexusStore store, DbConnection connection, Action<string>? log, CancellationToken cancel)
    {
        var staging = store.Dialect.Staging!;
        var clock = Stopwatch.StartNew();
        var announced = false;
        while (!staging.TryLockStaging(connection, WorkSchema))
        {
            if (!announced)
            {
                log?.Invoke($"Another conversion of {store.Database} holds the conversion lock; waiting up to {LockTimeout.TotalSeconds:0} s for it.");
                announced = true;
            }

            if (clock.Elapsed >= LockTimeout)
            {
                throw new NexusException(NexusErrorKind.Busy,
                    $"Another Convert-NexusStore held the conversion lock on {store.Database} for longer than {LockTimeout.TotalSeconds:0} s; nothing was changed.", store.Database,
                    hint: "Let it finish, then check the layout with Get-NexusStore and run again if needed.");
            }

            if (cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200)))
            {
                throw new OperationCanceledException(cancel);
            }
        }
    }

    /// <summary>Refuses, with what to do, a layout this store's database cannot hold now.</summary>
    private static void Refuse(NexusStore store, DbConnection connection, StoreLayout target)
    {
        if (!store.Dialect.Layout.Supports(target.Kind) || store.Dialect.Conversion is null || store.Dialect.Staging is null)
        {
            throw new NexusException(NexusErrorKind.UnsupportedServer,
                $"The store {store.Database} is a {store.Provider} store, which has the plain layout only; it cannot be {target.Name}.", store.Database,
                hint: "The partitioned and distributed layouts need PostgreSQL: copy the store into a PostgreSQL database with Copy-NexusData, then convert it there.");
        }

        if (store.Dialect.Conversion.WhyNotAvailable(connection, target.Kind) is { } why)
        {
            throw new NexusException(NexusErrorKind.UnsupportedServer,
                $"The store {store.Database} cannot be made {target.Name}: {why}. Nothing was changed.", store.Database,
                hint: "A distributed store needs Citus: install it from your distribution's or Citus's own package repository, add citus to shared_preload_libraries, run CREATE EXTENSION citus in this database and add the worker nodes (docs/LAYOUTS.md).");
        }

        if (target.IsTenantKeyed && target.Partitions < 1)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"A {target.Name} layout needs at least one partition; {target.Partitions} was asked for.", target, hint: "Pass -Partitions with a number from 1 up.");
        }
    }

    /// <summary>Builds the empty tables of <paramref name="target"/> in the work schema (committed, outside the copy's transaction).</summary>
    private static void Build(NexusStore store, DbConnection connection, StoreLayout target, Action<string>? log)
    {
        var staging = store.Dialect.Staging!;
        staging.CreateStaging(connection, WorkSchema);
        if (target.IsTenantKeyed)
        {
            using var transaction = connection.BeginTransaction();
            foreach (var statement in store.Dialect.Layout.CreateTables(target, WorkSchema))
            {
                using var command = connection.CreateCommand(statement, transaction);
                command.CommandTimeout = 0;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        else
        {
            // The plain tables are exactly what the module's migrations make: run them there.
            using var work = StoreOpener.Open(staging.StagingTarget(store.Target, WorkSchema), createSchema: false);
            new MigrationRunner(work).MigrateTo(store.SchemaRevision!);
        }

        log?.Invoke($"Built the {target} tables in the schema {WorkSchema}.");
    }

    /// <summary>The copy, the verification and the swap, in one transaction under the migration lock.</summary>
    private static List<LayoutTableResult> CopyAndSwap(NexusStore store, string home, StoreLayout current, StoreLayout target, IReadOnlyList<string> indexes, Action<string>? log, Action<string, int>? progress, CancellationToken cancel)
    {
        var conversion = store.Dialect.Conversion!;
        var names = TransferTable.All.Select(t => t.Name).ToList();
        using var session = MigrationSession.Begin(store, LockTimeout, log, cancel);
        var connection = session.Connection;
        using var transaction = connection.BeginTransaction();
        conversion.BeginConversion(connection, transaction);
        progress?.Invoke("Waiting for writers to finish (readers go on)", 5);
        conversion.BlockWriters(connection, transaction, home, names);
        log?.Invoke($"Writers to {store.Database} wait from now until the swap; readers go on.");

        var rows = new Dictionary<string, long>();
        for (var i = 0; i < TransferTable.All.Count; i++)
        {
            var table = TransferTable.All[i];
            progress?.Invoke($"Copying {table.Name}", 10 + (30 * i / TransferTable.All.Count));
            var copied = conversion.CopyRows(connection, transaction, home, WorkSchema, table.Name, table.KnownColumns.Select(c => c.Name).ToList(), current.IsTenantKeyed, target.IsTenantKeyed, cancel);
            rows[table.Name] = copied;
            log?.Invoke($"{table.Name}: copied {copied} rows.");
            cancel.ThrowIfCancellationRequested();
        }

        progress?.Invoke("Building the secondary indexes and checking the foreign keys over the copied rows", 40);
        foreach (var index in indexes)
        {
            using var command = connection.CreateCommand(index, transaction);
            command.CommandTimeout = 0;
            using var stop = cancel.Register(command.Cancel);
            command.ExecuteNonQuery();
        }

        log?.Invoke($"Built {indexes.Count} secondary indexes and foreign keys over the copied rows.");
        var results = new List<LayoutTableResult>();
        for (var i = 0; i < TransferTable.All.Count; i++)
        {
            var table = TransferTable.All[i];
            progress?.Invoke($"Verifying {table.Name}", 50 + (45 * i / TransferTable.All.Count));
            var before = Checksum(store, connection, transaction, home, table, cancel);
            var after = Checksum(store, connection, transaction, WorkSchema, table, cancel);
            var result = new LayoutTableResult { Table = table.Name, Rows = before.Rows, SourceChecksum = before.Value, DestinationChecksum = after.Value };
            var match = before.Rows == after.Rows && before.Rows == rows[table.Name] && result.Verified;
            log?.Invoke($"{table.Name}: {before.Rows} rows, checksum {before.Value} {(match ? "matches the new table's" : $"DOES NOT match the new table's {after.Value} ({after.Rows} rows)")}.");
            if (!match)
            {
                throw new NexusException(NexusErrorKind.InvalidData,
                    $"The {target.Name} copy of {table.Name} in {store.Database} does not match the old table ({before.Rows} rows, checksum {before.Value}; the copy: {after.Rows} rows, checksum {after.Value}). Nothing was changed; the old tables are as they were.",
                    table.Name, hint: "Report this with the -Verbose output; the store can be used as it is.");
            }

            results.Add(result);
        }

        conversion.UseSchema(connection, transaction, home);
        progress?.Invoke("Swapping the new tables in", 95);
        cancel.ThrowIfCancellationRequested();
        conversion.Swap(connection, transaction, home, WorkSchema, names, target);
        transaction.Commit();
        session.Complete();
        progress?.Invoke("Done", 100);
        return results;
    }

    /// <summary>The transfer engine's checksum of one table in <paramref name="schema"/>, over the plain (canonical) columns, read in the conversion's transaction.</summary>
    private static TableChecksum Checksum(NexusStore store, DbConnection connection, DbTransaction transaction, string schema, TransferTable table, CancellationToken cancel)
    {
        store.Dialect.Conversion!.UseSchema(connection, transaction, schema);
        var checksum = new TableChecksum();
        var columns = table.KnownColumns;
        foreach (var row in DatabaseTables.Read(connection, transaction, store.Dialect.Transfer, table, columns, ordered: false, cancel))
        {
            if (RowConverter.Convert(row, columns) is { } problem)
            {
                throw new NexusException(NexusErrorKind.InvalidData,
                    $"{table.Name} in {store.Database} holds a value that cannot be read ({problem.Column}: {problem.Reason}). Nothing was changed.", table.Name);
            }

            checksum.Add(row);
        }

        return checksum;
    }

    /// <summary>Fresh planner statistics for the new tables (best effort: the conversion is done).</summary>
    private static void Analyze(NexusStore store)
    {
        try
        {
            using var connection = store.OpenConnection(ConnectionIntent.Write);
            foreach (var table in TransferTable.All)
            {
                store.Dialect.Staging!.Analyze(connection, table.Name);
            }
        }
        catch (DbException)
        {
            // Autovacuum gets to it.
        }
    }

    private static LayoutConversionResult Result(NexusStore store, StoreLayout from, StoreLayout to, bool converted, IReadOnlyList<LayoutTableResult> tables, TimeSpan elapsed) => new()
    {
        Store = store.Database,
        PreviousLayout = from.Name,
        Layout = to.Name,
        Partitions = to.Partitions,
        Converted = converted,
        Tables = tables,
        Elapsed = elapsed,
    };
}
