using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;

namespace Nexus.Core.Migrations;

/// <summary>A store's schema revisions as the migration journal and this module's catalog tell them.</summary>
internal sealed class JournalRevisions : ISchemaRevisions
{
    private readonly ISqlDialect _dialect;

    public JournalRevisions(ISqlDialect dialect) => _dialect = dialect;

    // Loaded (once per provider) when first asked for, as before the store was opened here.
    private MigrationCatalog Catalog => MigrationCatalog.For(_dialect.Provider);

    public string Head => Catalog.Head;

    public string? ReadRevision(DbConnection connection) =>
        MigrationJournal.ReadEntries(connection, _dialect).LastOrDefault()?.MigrationId;

    public bool IsKnown(string revision) => Catalog.Find(revision) is not null;
}
