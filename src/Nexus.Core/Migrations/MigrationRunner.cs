using System.Data.Common;
using DbUp;
using DbUp.Builder;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Migrations;

/// <summary>
/// Applies the catalog's migrations to one store through DbUp (a transaction per script, this
/// module's journal) and reports where each migration stands.
/// </summary>
public sealed class MigrationRunner
{
    private readonly NexusStore _store;
    private readonly Action<string>? _log;

    public MigrationRunner(NexusStore store, Action<string>? log = null)
    {
        _store = store;
        _log = log;
        Catalog = MigrationCatalog.For(store.Provider);
    }

    /// <summary>The migrations this module knows for the store's dialect.</summary>
    public MigrationCatalog Catalog { get; }

    /// <summary>Every known migration (and every journaled one the module does not know), with its state.</summary>
    public IReadOnlyList<MigrationInfo> GetStatus()
    {
        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var journal = MigrationJournal.ReadEntries(connection, _store.Dialect).ToDictionary(e => e.MigrationId);
        var rows = new List<MigrationInfo>();
        foreach (var migration in Catalog.Migrations)
        {
            if (journal.Remove(migration.Id, out var entry))
            {
                rows.Add(new MigrationInfo
                {
                    Id = migration.Id,
                    Name = migration.Name,
                    Description = migration.Description,
                    State = MigrationState.Applied,
                    AppliedAt = entry.AppliedAt,
                    ChecksumMatches = string.Equals(entry.Checksum, migration.Checksum, StringComparison.OrdinalIgnoreCase),
                    HasDownScript = entry.DownScript is not null,
                    Checksum = entry.Checksum,
                    Store = _store.Database,
                });
            }
            else
            {
                rows.Add(new MigrationInfo
                {
                    Id = migration.Id,
                    Name = migration.Name,
                    Description = migration.Description,
                    State = MigrationState.Pending,
                    HasDownScript = migration.DownScript is not null,
                    Checksum = migration.Checksum,
                    Store = _store.Database,
                });
            }
        }

        foreach (var unknown in journal.Values)
        {
            rows.Add(new MigrationInfo
            {
                Id = unknown.MigrationId,
                Name = unknown.ScriptName.Length > 5 ? unknown.ScriptName[5..] : unknown.ScriptName,
                Description = unknown.Description,
                State = MigrationState.Unknown,
                AppliedAt = unknown.AppliedAt,
                HasDownScript = unknown.DownScript is not null,
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

    /// <summary>
    /// Applies every pending migration, each in its own transaction with its journal row. A
    /// failing migration is rolled back whole and reported with its name; those before it stay.
    /// </summary>
    /// <returns>The migrations applied, oldest first.</returns>
    public IReadOnlyList<Migration> Upgrade()
    {
        var pending = GetPending();
        if (pending.Count == 0)
        {
            _log?.Invoke($"{_store.Database} is at {Catalog.Head}; nothing to apply.");
            return pending;
        }

        using var connection = _store.OpenConnection(ConnectionIntent.Write);
        var sqlite = _store.Provider == StoreProvider.Sqlite;
        if (sqlite)
        {
            // Table rebuilds (copy-and-swap) must not fire ON DELETE CASCADE; the journal checks
            // foreign keys before each migration commits instead.
            connection.Execute("PRAGMA foreign_keys=OFF");
        }

        try
        {
            var applied = new List<Migration>();
            var engine = ConfigureEngine(connection, pending).Build();
            engine.ScriptExecuted += (_, e) =>
            {
                if (e is DbUp.Engine.ScriptExecutedEventArgs executed && Catalog.Find(executed.Script.Name) is { } done)
                {
                    applied.Add(done);
                    _log?.Invoke($"Applied {done.ScriptName}.");
                }
            };

            var result = engine.PerformUpgrade();
            if (!result.Successful)
            {
                var failed = result.ErrorScript?.Name ?? "(unknown)";
                throw new NexusException(NexusErrorKind.MigrationFailed,
                    $"Migration {failed} failed and was rolled back, leaving the store at its state before it: {result.Error?.Message}",
                    failed, result.Error);
            }

            return applied;
        }
        finally
        {
            if (sqlite)
            {
                connection.Execute("PRAGMA foreign_keys=ON");
            }

            _store.RefreshSchemaRevision();
        }
    }

    private UpgradeEngineBuilder ConfigureEngine(DbConnection connection, IReadOnlyList<Migration> scripts) =>
        _store.Dialect.CreateUpgradeBuilder(_store.Primary, connection)
            .WithScripts(new CatalogScriptProvider(scripts))
            .JournalTo((connectionManager, _) => new MigrationJournal(connectionManager, _store.Dialect, Catalog))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogTo(new UpgradeLogAdapter(_log));
}
