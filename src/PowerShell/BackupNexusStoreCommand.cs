using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Makes a consistent, checked copy of a live SQLite Nexus store.</para>
/// </summary>
[Cmdlet(VerbsData.Backup, "NexusStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(StoreBackupResult))]
public sealed class BackupNexusStoreCommand : NexusCmdlet
{
    /// <summary>The backup file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Replace the backup file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var store = ResolveStore();
        var file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(file, $"Back up {store.Database}"))
        {
            return;
        }

        try
        {
            var result = StoreBackup.Run(store, file, Force, WriteVerbose);
            foreach (var leftover in result.RemovedLeftovers)
            {
                WriteWarning($"Removed '{leftover}', the partial file of an earlier backup that did not finish.");
            }

            WriteObject(result);
        }
        catch (NexusException e)
        {
            Terminate(e, file);
        }
    }
}
