using System.Management.Automation;
using Nexus.Core.Session;
using Nexus.Core.Store;
using Nexus.Core.Transfer;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Copies every table of one Nexus store into another, verified by checksums.</para>
/// </summary>
[Cmdlet(VerbsCommon.Copy, "NexusData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EmptySet)]
[OutputType(typeof(TableTransferResult))]
public sealed class CopyNexusDataCommand : StoreLoadingCmdlet
{
    /// <summary>
    /// The store to copy from: a store object, URL, connection string or SQLite file path. Without
    /// it, -Store, or the store the last Connect-NexusStore in this runspace opened.
    /// </summary>
    [Parameter(Position = 0)]
    [ValidateNotNull]
    public object? Source { get; set; }

    /// <summary>The store to copy into: a store object, URL, connection string or SQLite file path.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public object Destination { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        using var stores = new TransferStores();
        NexusStore source;
        NexusStore? destination;
        try
        {
            if (Source is not null && Store is not null)
            {
                throw new NexusException(NexusErrorKind.InvalidArgument,
                    "Give the store to copy from either as -Source or as -Store, not both.");
            }

            source = Source is null ? ResolveStore() : stores.Resolve(Source, nameof(Source), this, mustExist: true)!;
            var action = Action("Replace every row with a copy of " + source.Database, "Merge (upsert) every row of " + source.Database, "Copy every row of " + source.Database);
            // Asked before the destination is opened: -WhatIf must not create a new SQLite file.
            destination = stores.Resolve(Destination, nameof(Destination), this, mustExist: false, approve: name => ShouldProcess(name, action));
        }
        catch (NexusException e)
        {
            Terminate(e);
            return;
        }

        if (destination is null)
        {
            return;
        }

        if (!ConfirmedReplace(destination.Database))
        {
            return;
        }

        RunTransfer($"Copying {source.Database} to {destination.Database}", LoadOptions, t => t.Copy(source, destination));
    }
}
