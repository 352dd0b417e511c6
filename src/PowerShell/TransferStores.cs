using System.Management.Automation;
using Nexus.Core.Connection;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// Turns a -Source/-Destination argument into a store: a store object as is, or a connection
/// string / URL / SQLite file path opened here (and closed again by <see cref="Dispose"/>).
/// </summary>
internal sealed class TransferStores : IDisposable
{
    private readonly List<NexusStore> _opened = [];

    /// <summary>
    /// The store an argument names. <paramref name="approve"/>, when given, is asked with the
    /// store's name before anything is opened (so -WhatIf creates no SQLite file); a store it
    /// declines is not opened and null is returned. A store opened here keeps whatever schema it
    /// has: an empty one gets the revision the transfer needs, not the newest.
    /// </summary>
    public NexusStore? Resolve(object argument, string parameter, PSCmdlet cmdlet, bool mustExist, Func<string, bool>? approve = null)
    {
        var value = argument is PSObject ps ? ps.BaseObject : argument;
        if (value is NexusStore store)
        {
            if (!store.IsOpen)
            {
                throw StoreErrors.Closed($"The -{parameter} store {store.Database}", store);
            }

            return approve is null || approve(store.Database) ? store : null;
        }

        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"-{parameter} takes a store (from Connect-NexusStore), a URL such as 'postgresql://user@host/nexus' or 'sqlite:///nexus.db', an ADO.NET connection string, or a SQLite file path.",
                value);
        }

        var options = new ConnectionOptions { BaseDirectory = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath };
        // "postgres:pw@host/db" lost its "//" but is no file name: parsed (and refused) as a URL.
        var isPath = !ConnectionStringParser.LooksLikeUrl(text) && !text.Contains('=');
        var target = isPath
            ? ConnectionStringParser.ForFile(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text), options)
            : ConnectionStringParser.Parse(text, options);
        if (mustExist && target.FilePath is not null && !File.Exists(target.FilePath))
        {
            throw new NexusException(NexusErrorKind.NotFound, $"The -{parameter} store file '{target.FilePath}' does not exist.", target.FilePath);
        }

        if (approve is not null && !approve(target.DisplayName))
        {
            return null;
        }

        var opened = StoreOpener.Open(target, cmdlet.WriteVerbose, createSchema: false);
        _opened.Add(opened);
        return opened;
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }
    }
}
