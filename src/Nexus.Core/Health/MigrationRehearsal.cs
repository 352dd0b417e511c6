using System.Data.Common;
using System.Diagnostics;
using Nexus.Core.Dialects;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Health;

/// <summary>
/// Test-NexusMigration's engine: runs the steps that Invoke-NexusMigration would run (the same
/// plan, from <see cref="MigrationRunner.Plan(string, MigrationOptions)"/>) where nothing reaches
/// the store — SQLite: a VACUUM INTO copy; PostgreSQL: one transaction that is rolled back — and
/// reports each step's time, rows touched, success and, for down steps, the tables and columns it
/// drops with the rows and values they held. It runs the step scripts itself, statement by
/// statement on one connection (as the runner does for down steps), journal rows included, rather
/// than through DbUp, whose PostgreSQL runs commit on connections of their own.
/// </summary>
public sealed class MigrationRehearsal
{
    private readonly NexusStore _store;
    private readonly MigrationCatalog? _catalog;
    private readonly Action<string>? _log;

    public MigrationRehearsal(NexusStore store, MigrationCatalog? catalog = null, Action<string>? log = null)
    {
        _store = store;
        _catalog = catalog;
        _log = log;
    }

    /// <summary>Rehearses the way to <paramref name="target"/>; the store is left as it was.</summary>
    public IReadOnlyList<RehearsalStep> Run(string target, MigrationOptions options)
    {
        var plan = new MigrationRunner(_store, _catalog, _log).Plan(target, options);
        if (plan.Any(s => s.IsAdoption))
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"{_store.Database} holds the original Nexus's tables and would be adopted first; Test-NexusMigration does not rehearse adoption.",
                _store.Database, hint: "Run Invoke-NexusMigration -Adopt on a copy (Backup-NexusStore, or pg_dump into a scratch database).");
        }

        var steps = plan.Select(s => new RehearsalStep { Id = s.Id, Name = s.Name, Direction = s.Direction, Store = _store.Database }).ToList();
        if (plan.Count == 0)
        {
            return steps;
        }

        try
        {
            using var sandbox = _store.Dialect.Operations.OpenRehearsal(_store.OpenConnection);
            _log?.Invoke($"Rehearsing {plan.Count} step(s) on {sandbox.Description}.");
            sandbox.Execute(_store.Dialect.JournalTableDdl);
            for (var i = 0; i < plan.Count; i++)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                options.StepStarting?.Invoke(plan[i], i + 1, plan.Count);
                if (!Rehearse(sandbox, plan[i], steps[i]))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is DbException)
        {
            throw _store.Dialect.Translate(e, _store.Target);
        }

        return steps;
    }

    private bool Rehearse(RehearsalSandbox sandbox, MigrationStep step, RehearsalStep result)
    {
        var before = step.Direction == MigrationDirection.Down ? Snapshot(sandbox) : null;
        var clock = Stopwatch.StartNew();
        string? statement = null;
        try
        {
            foreach (var next in SqlStatementSplitter.Split(step.Script))
            {
                statement = next;
                result.RowsTouched += sandbox.Execute(next);
            }

            statement = null;
            if (step.Direction == MigrationDirection.Up)
            {
                using var command = sandbox.Connection.CreateCommand(string.Empty, sandbox.Transaction);
                MigrationJournal.WriteRow(command, _store.Dialect, step.Migration!, null);
            }
            else
            {
                MigrationJournal.DeleteRow(sandbox.Connection, sandbox.Transaction, step.Id);
            }

            sandbox.CheckStep();
        }
        catch (Exception e) when (e is DbException or NexusException)
        {
            result.Duration = clock.Elapsed;
            result.Outcome = RehearsalOutcome.Failed;
            var at = statement is null ? string.Empty : $" at statement: {MigrationRunner.Shorten(statement)}";
            result.Error = $"Migration {step.ScriptName} ({step.Direction.ToString().ToLowerInvariant()}) failed{at} — {e.Message}. A real run would roll this step back and stop here.";
            _log?.Invoke(result.Error);
            return false;
        }

        result.Duration = clock.Elapsed;
        result.Outcome = RehearsalOutcome.Succeeded;
        if (before is not null)
        {
            result.Destroys = Destroyed(before, Snapshot(sandbox));
        }

        _log?.Invoke($"Rehearsed {step} in {clock.ElapsedMilliseconds} ms: {result.RowsTouched} row(s) touched.");
        return true;
    }

    /// <summary>Rows per table and non-null values per column, of every store table in the sandbox (the journal is the step's own bookkeeping).</summary>
    private Dictionary<string, (long Rows, Dictionary<string, long> Values)> Snapshot(RehearsalSandbox sandbox)
    {
        var snapshot = new Dictionary<string, (long, Dictionary<string, long>)>(StringComparer.Ordinal);
        foreach (var table in _store.Dialect.ListTables(sandbox.Connection).Where(t => t != MigrationJournal.TableName))
        {
            var quoted = SqlIdentifier.Quote(table);
            var columns = new List<string>();
            using (var probe = sandbox.Connection.CreateCommand($"SELECT * FROM {quoted} WHERE 1 = 0", sandbox.Transaction))
            using (var reader = probe.ExecuteReader())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    columns.Add(reader.GetName(i));
                }
            }

            var counts = string.Join(", ", new[] { "count(*)" }.Concat(columns.Select(c => $"count({SqlIdentifier.Quote(c)})")));
            using var command = sandbox.Connection.CreateCommand($"SELECT {counts} FROM {quoted}", sandbox.Transaction);
            using var values = command.ExecuteReader();
            values.Read();
            var perColumn = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                perColumn[columns[i]] = Convert.ToInt64(values.GetValue(i + 1));
            }

            snapshot[table] = (Convert.ToInt64(values.GetValue(0)), perColumn);
        }

        return snapshot;
    }

    private static IReadOnlyList<DestroyedData> Destroyed(
        Dictionary<string, (long Rows, Dictionary<string, long> Values)> before,
        Dictionary<string, (long Rows, Dictionary<string, long> Values)> after)
    {
        var destroyed = new List<DestroyedData>();
        foreach (var (table, was) in before.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!after.TryGetValue(table, out var now))
            {
                destroyed.Add(new DestroyedData { Kind = DestroyedKind.Table, Table = table, Rows = was.Rows });
                continue;
            }

            foreach (var (column, values) in was.Values.Where(c => !now.Values.ContainsKey(c.Key)))
            {
                destroyed.Add(new DestroyedData { Kind = DestroyedKind.Column, Table = table, Column = column, Rows = values });
            }

            if (now.Rows < was.Rows)
            {
                destroyed.Add(new DestroyedData { Kind = DestroyedKind.Rows, Table = table, Rows = was.Rows - now.Rows });
            }
        }

        return destroyed;
    }
}
