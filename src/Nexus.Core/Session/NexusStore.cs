using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Session;

/// <summary>
/// An open Nexus store: where it lives, what it runs on, and the connections to it. Cmdlets ask it
/// for connections by intent (<see cref="OpenConnection"/>), so a store can later route reads to
/// replicas or rows to shards without any cmdlet changing. Nothing public here shows a password.
/// Opened by Migrations/StoreOpener, which also brings a new embedded store to the newest schema;
/// the store knows its schema revisions through <see cref="ISchemaRevisions"/>, not the migrations.
/// </summary>
public sealed class NexusStore : IDisposable
{
    private readonly object _gate = new();
    private readonly ISchemaRevisions _revisions;
    private IConnectionSource? _primary;

    private NexusStore(StoreTarget target, ISqlDialect dialect, IConnectionSource primary, ISchemaRevisions revisions)
    {
        Target = target;
        Dialect = dialect;
        _primary = primary;
        _revisions = revisions;
        ConnectedAt = DateTime.UtcNow;
    }

    /// <summary>A unique id for this open store (several can be open at once).</summary>
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>SQLite or PostgreSql.</summary>
    public StoreProvider Provider => Target.Provider;

    /// <summary>The SQLite file path (or :memory:), or host:port/database for PostgreSQL.</summary>
    public string Database => Target.DisplayName;

    /// <summary>The user the store logs in as (PostgreSQL only).</summary>
    public string? UserName => Target.UserName;

    /// <summary>The database engine's version, read when the store was opened.</summary>
    public string ServerVersion { get; private set; } = string.Empty;

    /// <summary>The newest migration applied to the store, or null if it has none.</summary>
    public string? SchemaRevision { get; private set; }

    /// <summary>The newest migration this module knows.</summary>
    public string HeadRevision => _revisions.Head;

    /// <summary>
    /// How the store's tables are laid out (plain, partitioned or distributed, with the number of
    /// partitions or shards), read from the catalog when the store was opened; Convert-NexusStore
    /// refreshes it (<see cref="RefreshLayout"/>). The store's statements follow it.
    /// </summary>
    public StoreLayout Layout { get; private set; } = StoreLayout.Plain;

    /// <summary>True when the store's schema is exactly what this module expects.</summary>
    public bool IsSchemaCurrent => SchemaRevision == HeadRevision;

    /// <summary>The pool ceiling (PostgreSQL), null for SQLite.</summary>
    public int? MaxPoolSize { get; private set; }

    /// <summary>The pool floor (PostgreSQL), null for SQLite.</summary>
    public int? MinPoolSize { get; private set; }

    /// <summary>Seconds a command may run; on SQLite also how long a writer waits for a lock.</summary>
    public int CommandTimeout { get; private set; }

    /// <summary>Seconds a new connection may take (PostgreSQL), null for SQLite.</summary>
    public int? ConnectTimeout { get; private set; }

    /// <summary>The configuration file's name for the store (Connect-NexusStore -Name), or null.</summary>
    public string? Name => Target.Name;

    /// <summary>Every effective setting and where it came from: parameter, environment, file or default.</summary>
    public IReadOnlyList<StoreSetting> Settings => Target.Settings;

    /// <summary>The servers of a store with read replicas: role, state and measured lag (empty otherwise).</summary>
    public IReadOnlyList<StoreHost> Hosts => _primary?.Hosts ?? [];

    /// <summary>Takes the notes (for -Verbose) about which host served writes or reads since the last call.</summary>
    public IReadOnlyList<string> TakeConnectionNotes() => _primary?.TakeNotes() ?? [];

    /// <summary>When the store was opened (UTC).</summary>
    public DateTime ConnectedAt { get; }

    /// <summary>False once the store has been closed.</summary>
    public bool IsOpen => _primary is not null;

    internal StoreTarget Target { get; }

    internal ISqlDialect Dialect { get; }

    /// <summary>How many write transactions a bulk cmdlet may keep in flight on this store.</summary>
    public int ConcurrentWriters => Dialect.ConcurrentWriters;

    internal IConnectionSource Primary => _primary ?? throw Closed();

    /// <summary>
    /// Connects to a store: checks the target and connects once to read the server version and
    /// the schema revision (through <paramref name="revisions"/>). Creates nothing.
    /// </summary>
    internal static NexusStore Connect(StoreTarget target, ISchemaRevisions revisions)
    {
        var dialect = SqlDialects.For(target.Provider);
        IConnectionSource source;
        try
        {
            source = dialect.CreateConnectionSource(target);
        }
        catch (Exception e) when (e is not NexusException)
        {
            throw dialect.Translate(e, target);
        }

        var store = new NexusStore(target, dialect, source, revisions);
        try
        {
            store.ReadSettings();
            using (var connection = store.OpenConnection(ConnectionIntent.Write))
            {
                store.ServerVersion = dialect.ReadServerVersion(connection);
                store.SchemaRevision = revisions.ReadRevision(connection);
                store.Layout = dialect.Layout.Read(connection);   // one statement
            }

            return store;
        }
        catch (Exception e)
        {
            store.Dispose();
            throw e is NexusException ? e : dialect.Translate(e, target);
        }
    }

    /// <summary>
    /// An open connection for the given intent; the caller disposes it (which returns it to the
    /// pool). Connection failures come back as <see cref="NexusException"/>s.
    /// </summary>
    public DbConnection OpenConnection(ConnectionIntent intent = ConnectionIntent.Write)
    {
        var source = Primary;
        try
        {
            return source.Open(intent);
        }
        catch (Exception e) when (e is not NexusException)
        {
            throw Dialect.Translate(e, Target);
        }
    }

    /// <summary>
    /// The store migrations must run on: null for this store itself; behind PgBouncer in
    /// transaction mode, a store on the direct migration_url, because the migration lock is a
    /// session advisory lock that PgBouncer would leave on whichever server connection it picked.
    /// Without migration_url, migrations are refused. The caller disposes the returned store.
    /// </summary>
    public NexusStore? OpenMigrationStore(Action<string>? log = null)
    {
        if (Target.Pooler != PoolerMode.PgBouncerTransaction)
        {
            return null;
        }

        if (Target.MigrationConnectionString is not { } direct)
        {
            throw new NexusException(NexusErrorKind.MigrationFailed,
                $"The store {Database} runs behind PgBouncer in transaction mode (pooler: pgbouncer-transaction), where the migration lock, a session advisory lock, cannot be held.",
                this, hint: "Add migration_url (a direct URL to the primary) to the store's entry in the configuration file, or run Invoke-NexusMigration -ConnectionString with a direct URL.");
        }

        var target = ConnectionStringParser.ForDirectPostgres(direct);
        log?.Invoke($"{Database} is behind PgBouncer: migrating through the direct migration_url {target.DisplayName}.");
        return Connect(target, _revisions);
    }

    /// <summary>
    /// Fails with an error that says to run Invoke-NexusMigration when the store's schema is not
    /// the one this module was built for. Store cmdlets call it before touching tables.
    /// </summary>
    public void RequireCurrentSchema()
    {
        if (IsSchemaCurrent)
        {
            return;
        }

        // Another process may have migrated since this store was opened.
        RefreshSchemaRevision();
        if (IsSchemaCurrent)
        {
            return;
        }

        var (message, hint) = SchemaRevision is null
            ? ($"The store {Database} has no Nexus schema yet.", "Run Invoke-NexusMigration to create it.")
            : !_revisions.IsKnown(SchemaRevision)
                ? ($"The store {Database} is at schema revision {SchemaRevision}, which is newer than this module knows ({HeadRevision}).", "Update the Nexus module.")
                : ($"The store {Database} is at schema revision {SchemaRevision}; this module needs {HeadRevision}.", "Run Invoke-NexusMigration to upgrade it.");
        throw new NexusException(NexusErrorKind.SchemaMismatch, message, this, hint: hint);
    }

    /// <summary>Re-reads the schema revision from the journal.</summary>
    public void RefreshSchemaRevision()
    {
        using var connection = OpenConnection(ConnectionIntent.Write);
        SchemaRevision = _revisions.ReadRevision(connection);
    }

    /// <summary>Re-reads the layout from the catalog (after a conversion, here or elsewhere) and returns it.</summary>
    public StoreLayout RefreshLayout()
    {
        using var connection = OpenConnection(ConnectionIntent.Write);
        try
        {
            Layout = Dialect.Layout.Read(connection);
        }
        catch (Exception e) when (e is not NexusException)
        {
            throw Dialect.Translate(e, Target);
        }

        return Layout;
    }

    /// <summary>Closes every connection of the store; later use fails with a clear error.</summary>
    public void Dispose()
    {
        IConnectionSource? source;
        lock (_gate)
        {
            source = _primary;
            _primary = null;
        }

        source?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Provider}: {Database}";

    private void ReadSettings()
    {
        var limits = Dialect.ReadLimits(Target);
        MaxPoolSize = limits.MaxPoolSize;
        MinPoolSize = limits.MinPoolSize;
        CommandTimeout = limits.CommandTimeout;
        ConnectTimeout = limits.ConnectTimeout;
    }

    private NexusException Closed() => StoreErrors.Closed($"The store {Database}", this);
}
