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
    public StoreParameter? Source { get; set; }

    /// <summary>The store to copy into: a store object, URL, connection string or SQLite file path.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public StoreParameter Destination { get; set; } = null!;

    /// <summary>
    /// User name and password for a -Source given as a PostgreSQL URL or connection string; they
    /// replace any in it (as Connect-NexusStore -Credential does).
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }

    /// <summary>User name and password for a -Destination given as a PostgreSQL URL or connection string; they replace any in it.</summary>
    [Parameter]
    [Credential]
    public PSCredential? DestinationCredential { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        NexusStore source;
        NexusStore? destination;
        try
        {
            if (Source is not null && Store is not null)
            {
                throw new NexusException(NexusErrorKind.InvalidArgument,
                    "Give the store to copy from either as -Source or as -Store, not both.");
            }

            RefuseCredentialWithoutText(SourceCredential, Source, nameof(Source));
            RefuseCredentialWithoutText(DestinationCredential, Destination, nameof(Destination));
            source = Source is null ? ResolveStore() : OpenArgument(Source, nameof(Source), SourceCredential, mustExist: true)!;
            var action = Action("Replace every row with a copy of " + source.Database, "Merge (upsert) every row of " + source.Database, "Copy every row of " + source.Database);
            // Asked before the destination is opened: -WhatIf must not create a new SQLite file.
            destination = OpenArgument(Destination, nameof(Destination), DestinationCredential, mustExist: false, approve: name => ShouldProcess(name, action));
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

    // A credential logs in to a store opened from text; a connected store already has its login.
    private static void RefuseCredentialWithoutText(PSCredential? credential, StoreParameter? store, string parameter)
    {
        if (credential is not null && store?.Text is null)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"-{parameter}Credential logs in to a -{parameter} given as a URL or connection string, but -{parameter} is {(store is null ? "not given" : "a store that is already connected")}. Give -{parameter} as a URL, or pass -Credential to Connect-NexusStore.");
        }
    }
}
