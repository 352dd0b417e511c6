using System.Management.Automation;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Closes a Nexus store and all its connections.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "NexusStore")]
[OutputType(typeof(void))]
public sealed class DisconnectNexusStoreCommand : PSCmdlet
{
    /// <summary>The store to close; without it, this session's default store.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public NexusStore? Store { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = Store ?? DefaultStore.Get();
        if (store is null)
        {
            WriteVerbose("No store is connected; nothing to close.");
            return;
        }

        WriteVerbose($"Closing {store.Provider} store {store.Database}.");
        DefaultStore.Clear(store);
        store.Dispose();
    }
}
