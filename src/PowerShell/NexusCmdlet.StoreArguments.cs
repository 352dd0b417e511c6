using System.Management.Automation;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// Store arguments given as text (-Store, -Source, -Destination): opened for this call only and
/// closed when PowerShell disposes the cmdlet, however the pipeline ends.
/// </summary>
public abstract partial class NexusCmdlet : IDisposable
{
    private readonly List<NexusStore> _opened = [];
    private NexusStore? _storeOfArgument;

    /// <summary>
    /// The store a store argument names: the connected store as it is, or one opened from its text
    /// (with <paramref name="credential"/>'s login). <paramref name="approve"/>, when given, is
    /// asked with the store's name before anything is opened (so -WhatIf creates no SQLite file); a
    /// store it declines is not opened and null is returned. A store opened here keeps whatever
    /// schema it has.
    /// </summary>
    internal NexusStore? OpenArgument(StoreParameter argument, string parameter, PSCredential? credential, bool mustExist, Func<string, bool>? approve = null)
    {
        var connected = argument.Connected(
            $"The -{parameter} store {argument.Store?.Database}");
        if (connected is not null)
        {
            return approve is null || approve(connected.Database) ? connected : null;
        }

        var target = argument.Target(parameter, this, credential, takesFiles: true, mustExist);
        if (approve is not null && !approve(target.DisplayName))
        {
            return null;
        }

        var opened = StoreOpener.Open(target, WriteVerbose, createSchema: false);
        _opened.Add(opened);
        return opened;
    }

    /// <summary>Closes the stores this call opened from text.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a cmdlet holds; overrides call the base last (it closes the stores they used).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var store in _opened)
        {
            store.Dispose();
        }

        _opened.Clear();
        _storeOfArgument = null;
        DisposeStopSource();
    }

    // -Store as given: the store object itself (ResolveStore refuses it when closed), or the store
    // its text names, which must exist, opened once for the whole pipeline.
    private NexusStore StoreOfArgument()
    {
        if (Store!.Store is { } connected)
        {
            return connected;
        }

        if (_storeOfArgument is null)
        {
            try
            {
                _storeOfArgument = OpenArgument(Store, nameof(Store), credential: null, mustExist: true)!;
            }
            catch (NexusException e)
            {
                Terminate(e);
                throw; // not reached: Terminate throws
            }
        }

        return _storeOfArgument;
    }
}
