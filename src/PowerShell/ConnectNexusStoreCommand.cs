using System.Management.Automation;
using System.Net;
using Nexus.Core.Configuration;
using Nexus.Core.Connection;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Opens a Nexus store on SQLite or PostgreSQL and makes it this session's default.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "NexusStore", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(NexusStore))]
public sealed class ConnectNexusStoreCommand : PSCmdlet
{
    private const string EnvironmentSet = "Environment";
    private const string PathSet = "Path";
    private const string ConnectionStringSet = "ConnectionString";
    private const string NameSet = "Name";

    /// <summary>A SQLite store file; created (with its folders) if missing.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "FilePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// A URL (sqlite:///…, postgresql://…) or an ADO.NET connection string; or a connected store,
    /// which becomes the session's default as it is.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ConnectionStringSet)]
    [Alias("Uri", "Url")]
    [ValidateNotNull]
    public StoreParameter ConnectionString { get; set; } = null!;

    /// <summary>A store named under `stores:` in the configuration file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(NexusStoreNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The configuration file to read instead of NEXUS_CONFIG, ./nexus.yaml, ~/.nexus/config.yaml.</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [Parameter(ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = string.Empty;

    /// <summary>User name and password for PostgreSQL; replaces those in the connection string.</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [Parameter(ParameterSetName = NameSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>PostgreSQL: the most pooled connections (Maximum Pool Size).</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [Parameter(ParameterSetName = NameSet)]
    [ValidateRange(1, 1024)]
    public int MaxPoolSize { get; set; }

    /// <summary>PostgreSQL: the fewest pooled connections kept open (Minimum Pool Size).</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [Parameter(ParameterSetName = NameSet)]
    [ValidateRange(0, 1024)]
    public int MinPoolSize { get; set; }

    /// <summary>Seconds a command may run; on SQLite also how long a writer waits for the lock.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int CommandTimeout { get; set; }

    /// <summary>PostgreSQL: seconds a new connection may take; default -CommandTimeout (at most 15).</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateRange(1, 1024)]
    public int ConnectTimeout { get; set; }

    /// <summary>Returns the store without making it the session's default.</summary>
    [Parameter]
    public SwitchParameter NoDefault { get; set; }

    /// <summary>
    /// Creates the Nexus schema in a SQLite file that holds another program's tables (which is
    /// refused without it, naming them).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ConnectionStringSet && ConnectionString.Store is not null)
        {
            UseConnected(ConnectionString);
            return;
        }

        var login = StoreParameter.Options(this, Credential);
        var options = new ConnectionOptions
        {
            UserName = login.UserName,
            Password = login.Password,
            MaxPoolSize = MyInvocation.BoundParameters.ContainsKey(nameof(MaxPoolSize)) ? MaxPoolSize : null,
            MinPoolSize = MyInvocation.BoundParameters.ContainsKey(nameof(MinPoolSize)) ? MinPoolSize : null,
            CommandTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(CommandTimeout)) ? CommandTimeout : null,
            ConnectTimeout = MyInvocation.BoundParameters.ContainsKey(nameof(ConnectTimeout)) ? ConnectTimeout : null,
            BaseDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
        };

        NexusStore store;
        try
        {
            var target = ParameterSetName switch
            {
                PathSet => ConnectionStringParser.ForFile(
                    SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), options),
                // Named stores, the environment and the configuration file (see StoreResolver).
                _ => StoreResolver.Resolve(new StoreRequest
                {
                    ConnectionString = ParameterSetName == ConnectionStringSet ? ConnectionString.CheckedText(nameof(ConnectionString), takesFiles: false) : null,
                    Name = ParameterSetName == NameSet ? Name : null,
                    ConfigPath = MyInvocation.BoundParameters.ContainsKey(nameof(ConfigPath))
                        ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(ConfigPath)
                        : null,
                    Parameters = options,
                }),
            };
            WriteVerbose($"Opening {target.Provider} store {target.DisplayName}.");
            store = StoreOpener.Open(target, WriteVerbose, besideForeignTables: Force);
        }
        catch (NexusException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            return;
        }

        if (!NoDefault)
        {
            DefaultStore.Set(store);
        }

        if (!store.IsSchemaCurrent)
        {
            WriteWarning(store.SchemaRevision is null
                ? $"{store.Database} has no Nexus schema yet. Run Invoke-NexusMigration to create it."
                : $"{store.Database} is at schema revision {store.SchemaRevision}; this module expects {store.HeadRevision}. Run Invoke-NexusMigration.");
        }

        WriteObject(store);
    }

    // A store object given as -ConnectionString: already connected with its own settings, so it
    // only becomes the default; settings that would need a new connection are refused.
    private void UseConnected(StoreParameter argument)
    {
        NexusStore store;
        try
        {
            var changes = new[] { nameof(Credential), nameof(MaxPoolSize), nameof(MinPoolSize), nameof(CommandTimeout), nameof(ConnectTimeout), nameof(ConfigPath), nameof(Force) }
                .Where(MyInvocation.BoundParameters.ContainsKey).ToList();
            if (changes.Count > 0)
            {
                throw new NexusException(NexusErrorKind.InvalidArgument,
                    $"The store {argument.Store!.Database} is already connected; -{string.Join(", -", changes)} cannot change it. Give its URL instead to open it anew with these settings.");
            }

            store = argument.Connected(
                $"The store {argument.Store!.Database}", "Connect again with its URL or path.")!;
        }
        catch (NexusException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            return;
        }

        if (!NoDefault)
        {
            DefaultStore.Set(store);
        }

        WriteObject(store);
    }
}
