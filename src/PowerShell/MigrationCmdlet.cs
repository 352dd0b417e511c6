using System.Management.Automation;
using Nexus.Core.Connection;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// What Invoke-NexusMigration and Get-NexusMigration share: the store comes from -Store,
/// -ConnectionString, the session's default store, or NEXUS_DATABASE_URL / DATABASE_URL (so a
/// runbook can migrate without Connect-NexusStore); a store opened here is closed here.
/// </summary>
public abstract class MigrationCmdlet : NexusCmdlet
{
    private NexusStore? _ownedStore;

    /// <summary>A URL (sqlite:///…, postgresql://…) or ADO.NET connection string of the store to migrate (or a connected store).</summary>
    [Parameter]
    [Alias("Uri", "Url")]
    [ValidateNotNull]
    public StoreParameter? ConnectionString { get; set; }

    /// <summary>User name and password for PostgreSQL; replaces those in the connection string.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// A migration source folder (with sqlite/ and postgres/ inside) to use instead of the
    /// migrations built into the module: to try a new migration on a copy before building.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MigrationPath { get; set; }

    /// <summary>True when the call names its store by text (-ConnectionString, -Store) or the environment only.</summary>
    protected bool UsesTargetOnly => Given is { Store: null } || (Given is null && DefaultStore.Get() is null && EnvironmentUrlIsSet);

    // -Store or -ConnectionString, whichever was given (OpenStore refuses both).
    private StoreParameter? Given => Store ?? ConnectionString;

    private static bool EnvironmentUrlIsSet =>
        ConnectionStringParser.EnvironmentVariables.Any(v => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)));

    /// <summary>The store to work on, opening (and later closing) one from -ConnectionString or the environment.</summary>
    protected NexusStore OpenStore()
    {
        if (Store is not null && ConnectionString is not null)
        {
            ThrowTerminatingError(ErrorRecords.From(new NexusException(NexusErrorKind.InvalidArgument,
                "Give either -Store or -ConnectionString, not both.")));
        }

        if (!UsesTargetOnly && ConnectionString is null)
        {
            // -Store given a connected store, or the session's default store: its login is fixed.
            var connected = ResolveStore();
            if (Credential is not null)
            {
                Terminate(CredentialRefused(connected));
            }

            return connected;
        }

        try
        {
            if (!UsesTargetOnly)
            {
                // -ConnectionString given a connected store: that store, not one opened here.
                if (Credential is not null)
                {
                    throw CredentialRefused(ConnectionString!.Store!);
                }

                return OpenArgument(ConnectionString!, nameof(ConnectionString), Credential, mustExist: false)!;
            }

            var target = ResolveTarget();
            WriteVerbose($"Opening {target.Provider} store {target.DisplayName}.");
            _ownedStore = StoreOpener.Open(target, WriteVerbose, createSchema: false);
            return _ownedStore;
        }
        catch (NexusException e)
        {
            Terminate(e);
            throw;
        }
    }

    // A store that is already connected keeps its login: -Credential is refused rather than
    // silently not used, whether the store came as -Store, -ConnectionString or the default.
    private static NexusException CredentialRefused(NexusStore store) => new(NexusErrorKind.InvalidArgument,
        $"The store {store.Database} is already connected; -Credential cannot change its login.",
        hint: "Give its URL as -ConnectionString to log in with -Credential.");

    /// <summary>
    /// The parsed -ConnectionString (a URL or connection string), -Store text (which may also be a
    /// SQLite file, and must exist), or the environment's URL.
    /// </summary>
    protected StoreTarget ResolveTarget()
    {
        try
        {
            return Given switch
            {
                null => ConnectionStringParser.FromEnvironment(StoreParameter.Options(this, Credential)),
                var store when store == Store => store.Target(nameof(Store), this, Credential, takesFiles: true, mustExist: true),
                var text => text.Target(nameof(ConnectionString), this, Credential, takesFiles: false, mustExist: false),
            };
        }
        catch (NexusException e)
        {
            Terminate(e);
            throw;
        }
    }

    /// <summary>The catalog of -MigrationPath, or null for the module's own migrations.</summary>
    protected MigrationCatalog? ResolveCatalog(StoreProvider provider)
    {
        if (MigrationPath is null)
        {
            return null;
        }

        try
        {
            return MigrationCatalog.FromFolder(SessionState.Path.GetUnresolvedProviderPathFromPSPath(MigrationPath), provider);
        }
        catch (NexusException e)
        {
            Terminate(e, MigrationPath);
            throw;
        }
    }

    /// <summary>Closes a store this cmdlet opened itself.</summary>
    protected void CloseOwnedStore()
    {
        _ownedStore?.Dispose();
        _ownedStore = null;
    }
}
