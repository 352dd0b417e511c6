using System.Data.Common;

namespace Nexus.Core.Session;

/// <summary>
/// What an open store needs to know about schema revisions, supplied by whoever opens it (the
/// migrations layer, Migrations/StoreOpener): the store itself knows no migration.
/// </summary>
internal interface ISchemaRevisions
{
    /// <summary>The newest migration this module knows.</summary>
    string Head { get; }

    /// <summary>The newest migration applied to the store (read over <paramref name="connection"/>), or null.</summary>
    string? ReadRevision(DbConnection connection);

    /// <summary>True when <paramref name="revision"/> is a migration this module knows.</summary>
    bool IsKnown(string revision);
}
