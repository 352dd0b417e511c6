using System.Data.Common;
using System.Diagnostics;
using DbUp.Builder;
using DbUp.Engine;
using Nexus.Core.Connection;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Moves one store's schema to a target revision and reports where each migration stands. Up
/// steps run through DbUp (this module's journal and script provider); down steps run the down
/// script recorded in the journal, newest first, each in one transaction with the removal of its
/// journal row. A run holds the store's migration lock from the journal read to the last step.
/// </summary>
public sealed class MigrationRunner
{
    private readonly NexusStore _store;
    private readonly Action<string>? _log;

    public MigrationRunner(NexusStore store, Action<string>? log = null)
        : this(store, null, log)
    {
    }

    /// <summary>A runner over another catalog (a migration source folder) instead of the embedded one.</summary>
    public MigrationRunner(NexusStore store, MigrationCatalog? catalog, Action<string>? log = null)
    {
        _store = store;
        _log = log;
        Catalog = catalog ?? MigrationCatalog.For(store.Provider);
        if (Catalog.Provider != store.Provider)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument, $"The catalog is for {Catalog.Provider}, the store is {store.Provider}.");
        }
    }

    /// <summary>The migrations this runner knows for the store's dialect.</summary>
    public MigrationCatalog Catalog { get; }

    /// <summary>How long the last <see cref="MigrateTo(string, MigrationOptions)"/> waited for the migration lock.</summary>
    public TimeSpan LastLockWait { get; private set; }

    /// <summary>Every known migration (and every journaled one the module does not know), with its state.</summary>
    public IReadOnlyList<MigrationInfo> GetStatus()
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var journal = MigrationJournal.ReadEntries(connection, _store.Dialect).ToDictionary(e => e.MigrationId);
        var rows = new List<MigrationInfo>();
        foreach (var migration in Catalog.Migrations)
        {
            var applied = journal.Remove(migration.Id, out var entry);
            rows.Add(new MigrationInfo
            {
                Id = migration.Id,
                Name = migration.Name,
                Description = migration.Description,
                State = applied ? MigrationState.Applied : MigrationState.Pending,
                AppliedAt = entry?.AppliedAt,
                ChecksumMatches = applied ? string.Equals(entry!.Checksum, migration.Checksum, StringComparison.OrdinalIgnoreCase) : null,
                HasDownScript = applied ? entry!.DownScript is not null : migration.DownScript is not null,
                DownChecksum = entry?.DownScriptState,
                Checksum = applied ? entry!.Checksum : migration.Checksum,
                Store = _store.Database,
            });
        }

        foreach (var unknown in journal.Values)
        {
            rows.Add(new MigrationInfo
            {
                Id = unknown.MigrationId,
                Name = MigrationPlanner.NameOf(unknown.ScriptName),
                Description = unknown.Description,
                State = MigrationState.Unknown,
                AppliedAt = unknown.AppliedAt,
                HasDownScript = unknown.DownScript is not null,
                DownChecksum = unknown.DownScriptState,
                Checksum = unknown.Checksum,
                Store = _store.Database,
            });
        }

        return rows.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The migrations that an upgrade to head would apply, oldest first.</summary>
    public IReadOnlyList<Migration> GetPending()
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var applied = MigrationJournal.ReadEntries(connection, _store.Dialect).Select(e => e.MigrationId).ToHashSet();
        return Catalog.Migrations.Where(m => !applied.Contains(m.Id)).ToList();
    }

    /// <summary>True when the store holds the original Nexus tables but no journal (adopt it with <see cref="MigrationOptions.Adopt"/>).</summary>
    public bool NeedsAdoption()
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        return OriginalStoreAdopter.IsOriginalStore(connection, _store.Dialect, MigrationJournal.ReadEntries(connection, _store.Dialect));
    }

    /// <summary>
    /// Another program's tables in a store that has no Nexus schema yet, where creating one is
    /// refused without <see cref="MigrationOptions.Force"/>; empty otherwise.
    /// </summary>
    public IReadOnlyList<string> FindForeignTables()
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var journal = MigrationJournal.ReadEntries(connection, _store.Dialect);
        return journal.Count > 0 || OriginalStoreAdopter.IsOriginalStore(connection, _store.Dialect, journal)
            ? Array.Empty<string>()
            : ForeignTables.Find(connection, _store.Dialect);
    }

    /// <summary>The steps that <see cref="MigrateTo(string)"/> would run now, changing nothing.</summary>
    /// <param name="target">head, base, a migration id (0001), or a relative step (+1, -2).</param>
    public IReadOnlyList<MigrationStep> Plan(string target) => Plan(target, MigrationOptions.Default);

    /// <summary>The steps that <see cref="MigrateTo(string, MigrationOptions)"/> would run now, changing nothing.</summary>
    public IReadOnlyList<MigrationStep> Plan(string target, MigrationOptions options)
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var journal = MigrationJournal.ReadEntries(connection, _store.Dialect);
        var steps = PlanFrom(connection, journal, OriginalStoreAdopter.IsOriginalStore(connection, _store.Dialect, journal), target, options);
        MeasureDataLoss(connection, null, steps);
        return steps;
    }

    /// <summary>Moves the store to <paramref name="target"/> with the default options; returns the steps run.</summary>
    public IReadOnlyList<MigrationStep> MigrateTo(string target) => MigrateTo(target, MigrationOptions.Default);

    /// <summary>
    /// Moves the store to <paramref name="target"/> (head, base, an id, +N, -N) under the store's
    /// migration lock. Each step is atomic; a failing step is rolled back whole, the ones before
    /// it stay, and the error names the migration and its failing statement.
    /// </summary>
    /// <returns>The steps run, in order.</returns>
    public IReadOnlyList<MigrationStep> MigrateTo(string target, MigrationOptions options)
    {
        string? backup = null;
        if (options.Backup)
        {
            backup = BackupIfNeeded(target, options);
        }

        var done = new List<MigrationStep>();
        using (var session = MigrationSession.Begin(_store, options.LockTimeout, _log, options.Cancellation))
        {
            LastLockWait = session.LockWait;
            var journal = session.ReadJournal();
            var steps = PlanFrom(session.Connection, journal, OriginalStoreAdopter.IsOriginalStore(session.Connection, _store.Dialect, journal), target, options);
            MeasureDataLoss(session.Connection, null, steps);
            if (!options.AllowDataLoss && steps.Any(s => s.DestroysData))
            {
                throw DataLossRefusal(_store.Database, steps);
            }

            if (steps.Count == 0)
            {
                _log?.Invoke($"{_store.Database} is already at {Describe(journal)}; nothing to do.");
            }

            try
            {
                for (var i = 0; i < steps.Count; i++)
                {
                    options.Cancellation.ThrowIfCancellationRequested();
                    var step = steps[i];
                    options.StepStarting?.Invoke(step, i + 1, steps.Count);
                    var clock = Stopwatch.StartNew();
                    Run(session, step, options);
                    step.Duration = clock.Elapsed;
                    step.CompletedAt = DbTime.UtcNow();
                    step.BackupPath = backup;
                    done.Add(step);
                    _log?.Invoke($"{(step.Direction == MigrationDirection.Up ? "Applied" : "Reverted")} {step.ScriptName} in {clock.ElapsedMilliseconds} ms.");
                }
            }
            finally
            {
                // Keep every step that finished, whether or not a later one failed.
                session.Complete();
                _store.RefreshSchemaRevision();
            }
        }

        SettleOnceMigrated(done);
        return done;
    }

    /// <summary>Applies every pending migration (the same as <c>MigrateTo("head")</c>).</summary>
    public IReadOnlyList<Migration> Upgrade() =>
        MigrateTo("head").Where(s => s.Migration is not null).Select(s => s.Migration!).ToList();

    /// <summary>The SQL that <see cref="MigrateTo(string)"/> would run on this store, as one script.</summary>
    public string Script(string target)
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var journal = MigrationJournal.ReadEntries(connection, _store.Dialect);
        return ScriptFrom(Catalog, journal, OriginalStoreAdopter.IsOriginalStore(connection, _store.Dialect, journal), target, _store.Database);
    }

    /// <summary>
    /// The SQL that migrating the store at <paramref name="store"/> to <paramref name="target"/>
    /// would run, read without opening it as a store: a missing file or journal counts as base.
    /// </summary>
    public static string Script(StoreTarget store, string target, MigrationCatalog? catalog = null)
    {
        var (journal, original) = OfflineJournal.Read(store);
        return ScriptFrom(catalog ?? MigrationCatalog.For(store.Provider), journal, original, target, store.DisplayName);
    }

    private static string ScriptFrom(MigrationCatalog catalog, IReadOnlyList<JournalEntry> journal, bool original, string target, string store)
    {
        if (original)
        {
            throw new NexusException(NexusErrorKind.SchemaMismatch,
                $"{store} holds tables made by the original Nexus and no Nexus journal. Adoption checks and converts its rows, so it cannot be written as a script: run Invoke-NexusMigration -Adopt on a copy first.", store);
        }

        var steps = MigrationPlanner.Plan(catalog, journal, target, store);
        return MigrationScriptWriter.Write(catalog.Provider, steps, store, Describe(journal), string.IsNullOrWhiteSpace(target) ? "head" : target);
    }

    /// <summary>
    /// The refusal of a run whose down steps would destroy data: each step and what it destroys,
    /// and how to go on (a backup first; then confirm, or in a runbook -Force with -Confirm:$false).
    /// </summary>
    public static NexusException DataLossRefusal(string store, IEnumerable<MigrationStep> steps)
    {
        var destructive = steps.Where(s => s.DestroysData).ToList();
        var what = string.Join("; ", destructive.Select(s => $"{s.ScriptName} (down) destroys {DataLoss.Describe(s.Destroys)}"));
        return new NexusException(NexusErrorKind.MigrationFailed,
            $"Migrating {store} down would destroy data: {what}. Nothing was changed.",
            store, hint: "Take a backup first (Invoke-NexusMigration -Backup copies a SQLite store; Backup-NexusStore or pg_dump), then confirm at the prompt, or in a runbook pass -Force as well as -Confirm:$false.");
    }

    /// <summary>Counts what each down step of <paramref name="steps"/> would destroy, on the store as it is now.</summary>
    private void MeasureDataLoss(DbConnection connection, DbTransaction? transaction, IReadOnlyList<MigrationStep> steps)
    {
        foreach (var step in steps.Where(s => s.Direction == MigrationDirection.Down))
        {
            step.Destroys = DownScriptInspector.Measure(connection, transaction, _store.Dialect, step.Script);
        }
    }

    private IReadOnlyList<MigrationStep> PlanFrom(DbConnection connection, IReadOnlyList<JournalEntry> journal, bool original, string target, MigrationOptions options)
    {
        var steps = new List<MigrationStep>();
        if (original)
        {
            if (!options.Adopt)
            {
                throw new NexusException(NexusErrorKind.SchemaMismatch,
                    $"{_store.Database} holds tables made by the original Nexus ({string.Join(", ", OriginalStoreAdopter.Tables)}) but no Nexus migration journal, so it was left alone.",
                    _store.Database, hint: "Run Invoke-NexusMigration -Adopt to check its tables and bring it under this module (take a backup or try a copy first).");
            }

            var initial = Catalog.Migrations[0];
            steps.Add(new MigrationStep
            {
                Id = initial.Id,
                Name = initial.Name,
                Description = "Adopt the original Nexus store's tables as " + initial.ScriptName,
                Direction = MigrationDirection.Up,
                Store = _store.Database,
                Script = initial.UpScript,
                Migration = initial,
                IsAdoption = true,
            });
            journal = new[] { new JournalEntry(initial.Id, initial.ScriptName, initial.Description, initial.Checksum, initial.DownScript, DbTime.UtcNow(), initial.DownChecksum) };
        }

        var planned = MigrationPlanner.Plan(Catalog, journal, target, _store.Database);
        if (!original && journal.Count == 0 && planned.Count > 0)
        {
            CheckForeignTables(connection, options);
        }

        CheckDrift(journal, planned, options);
        steps.AddRange(planned);
        return steps;
    }

    /// <summary>Refuses (unless forced) to create a Nexus schema in a database that holds another program's tables.</summary>
    private void CheckForeignTables(DbConnection connection, MigrationOptions options)
    {
        var foreign = ForeignTables.Find(connection, _store.Dialect);
        if (foreign.Count == 0)
        {
            return;
        }

        if (!options.Force)
        {
            throw ForeignTables.Refusal(_store.Database, foreign);
        }

        _log?.Invoke($"warning: creating the Nexus schema in {_store.Database} beside tables that are not Nexus's ({string.Join(", ", foreign)}) (-Force).");
    }

    /// <summary>
    /// Refuses (unless forced) when a migration that stays applied was changed or is unknown, or
    /// when a down script about to run is not the one journaled (its checksum disagrees).
    /// </summary>
    private void CheckDrift(IReadOnlyList<JournalEntry> journal, IReadOnlyList<MigrationStep> plan, MigrationOptions options)
    {
        var reverted = plan.Where(s => s.Direction == MigrationDirection.Down).Select(s => s.Id).ToHashSet();
        var problems = new List<string>();
        foreach (var entry in journal.Where(e => !reverted.Contains(e.MigrationId)))
        {
            var known = Catalog.Find(entry.MigrationId);
            if (known is null)
            {
                problems.Add($"{entry.ScriptName} is in the journal but not in this module (applied by a newer module?)");
            }
            else if (!ScriptChecksum.IsWellFormed(entry.Checksum))
            {
                problems.Add($"{entry.ScriptName} has a malformed checksum in the journal ({ScriptChecksum.Abbreviate(entry.Checksum)}, not a SHA-256), so it cannot be verified");
            }
            else if (!string.Equals(known.Checksum, entry.Checksum, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{entry.ScriptName} was changed since it was applied (checksum {ScriptChecksum.Abbreviate(entry.Checksum)} in the journal, {ScriptChecksum.Abbreviate(known.Checksum)} in the module)");
            }
        }

        // The down script runs as journaled, so it must be the one the journal's checksum vouches for.
        foreach (var entry in journal.Where(e => reverted.Contains(e.MigrationId)))
        {
            switch (entry.DownScriptState)
            {
                case ChecksumState.Mismatch:
                    problems.Add($"the down script of {entry.ScriptName} in the journal was changed since it was applied (its checksum is not the journaled {ScriptChecksum.Abbreviate(entry.DownChecksum)})");
                    break;
                case ChecksumState.Missing:
                    problems.Add($"the down script of {entry.ScriptName} in the journal has no checksum, so it cannot be verified");
                    break;
                case ChecksumState.Malformed:
                    problems.Add($"the down script of {entry.ScriptName} has a malformed checksum in the journal ({ScriptChecksum.Abbreviate(entry.DownChecksum)}, not a SHA-256), so it cannot be verified");
                    break;
            }
        }

        if (problems.Count == 0)
        {
            return;
        }

        var text = string.Join("; ", problems);
        if (options.Force)
        {
            _log?.Invoke($"warning: drift on {_store.Database} ignored (-Force): {text}.");
            return;
        }

        throw new NexusException(NexusErrorKind.MigrationFailed,
            $"The migration journal of {_store.Database} disagrees with this module: {text}. Nothing was changed.",
            _store.Database, hint: "Check with Get-NexusMigration; use -Force to migrate anyway.");
    }

    /// <summary>Lets the dialect settle a store that this run changed (SQLite: WAL from now on).</summary>
    private void SettleOnceMigrated(IReadOnlyList<MigrationStep> done)
    {
        if (done.Count == 0)
        {
            return;
        }

        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        if (_store.Dialect.AfterMigrated(connection, _store.Target) is { } note)
        {
            _log?.Invoke(note);
        }
    }

    /// <summary>
    /// Converts an adopted PostgreSQL store's file_metadata.value from the original's JSON text
    /// (kept with <see cref="MigrationOptions.KeepOriginalTypes"/>) to jsonb with its GIN index, under the
    /// migration lock in one transaction. Returns false when there was nothing to convert.
    /// </summary>
    public bool ConvertOriginalTypes(MigrationOptions options)
    {
        var converted = false;
        using var session = MigrationSession.Begin(_store, options.LockTimeout, _log, options.Cancellation);
        try
        {
            session.InStep((connection, transaction) => converted = OriginalStoreAdopter.ConvertOriginalTypes(connection, transaction, _store.Dialect, _log));
        }
        finally
        {
            session.Complete();
        }

        return converted;
    }

    private void Run(MigrationSession session, MigrationStep step, MigrationOptions options)
    {
        try
        {
            if (step.IsAdoption)
            {
                session.InStep((connection, transaction) =>
                    step.Notes = OriginalStoreAdopter.Adopt(connection, transaction, _store.Dialect, step.Migration!, options, _log));
            }
            else if (step.Direction == MigrationDirection.Down)
            {
                session.InStep((connection, transaction) =>
                {
                    // Counted again inside the step: rows written since the plan was counted count too.
                    step.Destroys = DownScriptInspector.Measure(connection, transaction, _store.Dialect, step.Script);
                    if (step.DestroysData && !options.AllowDataLoss)
                    {
                        throw DataLossRefusal(_store.Database, new[] { step });
                    }

                    foreach (var statement in SqlStatementSplitter.Split(step.Script))
                    {
                        RunStatement(step, connection, transaction, statement);
                    }

                    MigrationJournal.DeleteRow(connection, transaction, step.Id);
                });
            }
            else if (_store.Dialect.Migration.UpScriptsRunInStep)
            {
                session.InStep((connection, _) => RunDbUp(step, connection, transactionPerScript: false));
            }
            else
            {
                RunDbUp(step, session.Connection, transactionPerScript: true);
            }
        }
        catch (NexusException e) when (step.IsAdoption && e.Kind is NexusErrorKind.SchemaMismatch or NexusErrorKind.InvalidData)
        {
            // The adopter's own checks already name the mismatch and say that nothing changed.
            throw;
        }
        catch (MigrationStepFailedException)
        {
            // Already worded for this step: not wrapped twice.
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Failed(step, null, e);
        }
    }

    private static void RunStatement(MigrationStep step, DbConnection connection, DbTransaction? transaction, string statement)
    {
        try
        {
            connection.Execute(statement, transaction);
        }
        catch (DbException e)
        {
            throw Failed(step, statement, e);
        }
    }

    /// <summary>Applies one up step through DbUp: this module's journal, statements one by one.</summary>
    private void RunDbUp(MigrationStep step, DbConnection connection, bool transactionPerScript)
    {
        StatementTrackingConnectionManager? tracker = null;
        UpgradeEngineBuilder builder = _store.Dialect.CreateUpgradeBuilder(_store.Primary, connection)
            .WithScripts(new CatalogScriptProvider(new[] { step.Migration! }))
            .JournalTo((connectionManager, _) => new MigrationJournal(connectionManager, _store.Dialect, Catalog))
            .WithVariablesDisabled()
            .LogTo(new UpgradeLogAdapter(null));
        builder = transactionPerScript ? builder.WithTransactionPerScript() : builder.WithoutTransaction();
        builder.Configure(c => c.ConnectionManager = tracker = new StatementTrackingConnectionManager(c.ConnectionManager));
        var result = builder.Build().PerformUpgrade();
        if (!result.Successful)
        {
            throw Failed(step, tracker?.TakeLastStatement(), result.Error);
        }
    }

    private static MigrationStepFailedException Failed(MigrationStep step, string? statement, Exception? error)
    {
        var reason = error is NexusException nexus ? nexus.Message : error?.Message ?? "unknown error";
        var at = statement is null ? string.Empty : $" at statement: {Shorten(statement)}";
        return new MigrationStepFailedException(step.ScriptName, step.Direction, statement,
            $"Migration {step.ScriptName} ({step.Direction.ToString().ToLowerInvariant()}) failed{at} — {reason}. It was rolled back: the schema and the journal are as they were before it; earlier steps of this run stay applied.",
            error);
    }

    internal static string Shorten(string statement)
    {
        var lines = statement.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal));
        var text = string.Join(" ", lines);
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    private string? BackupIfNeeded(string target, MigrationOptions options)
    {
        if (!_store.Target.IsEmbedded || _store.Target.FilePath is null)
        {
            _log?.Invoke("-Backup applies to SQLite store files only; back up PostgreSQL with pg_dump.");
            return null;
        }

        if (Plan(target, options).Count == 0)
        {
            return null;
        }

        var file = _store.Target.FilePath;
        var stem = Path.GetFileNameWithoutExtension(file);
        var extension = Path.GetExtension(file);
        var path = Path.Combine(Path.GetDirectoryName(file)!, $"{stem}.{DateTime.UtcNow:yyyyMMddTHHmmssfffZ}.bak{extension}");
        // The checked copy of Backup-NexusStore; partial files of earlier -Backup runs of this store are leftovers.
        var copy = options.BackupCopier ?? throw new InvalidOperationException("MigrationOptions.Backup needs a BackupCopier.");
        return copy(_store, path, $"{stem}.*.bak{extension}");
    }

    private static string Describe(IReadOnlyList<JournalEntry> journal) =>
        journal.Count == 0 ? "base" : journal.OrderBy(e => e.MigrationId, StringComparer.Ordinal).Last().MigrationId;
}
