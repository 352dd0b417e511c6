using System.Data.Common;
using Nexus.Core.Health;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// What the operations engines (health checks, store information, migration rehearsal) need to
/// differ between SQLite and PostgreSQL. The checks that are the same SQL on both live in
/// <see cref="StoreHealthChecker"/>.
/// </summary>
internal interface IOperationsSql
{
    /// <summary>The engine's own consistency check: PRAGMA integrity_check / quick_check, or amcheck.</summary>
    HealthCheckResult CheckIntegrity(DbConnection connection, bool quick);

    /// <summary>Rows whose foreign-key reference has no parent row, for every foreign key of the schema.</summary>
    HealthCheckResult CheckForeignKeys(DbConnection connection);

    /// <summary>The store's schema objects (tables, columns, indexes, constraints) as comparable descriptions.</summary>
    IReadOnlySet<string> ListSchemaObjects(DbConnection connection);

    /// <summary>
    /// The schema objects that the journal table and <paramref name="upScripts"/> make on an empty
    /// schema, built where it leaves nothing behind (SQLite: an in-memory database; PostgreSQL: a
    /// scratch schema in a transaction that is rolled back).
    /// </summary>
    IReadOnlySet<string> ListSchemaObjectsOf(DbConnection connection, string journalDdl, IEnumerable<string> upScripts);

    /// <summary>Opens where a migration rehearsal runs (a copy, or a transaction that is rolled back).</summary>
    RehearsalSandbox OpenRehearsal(NexusStore store);

    /// <summary>Fills the provider-specific parts of <paramref name="info"/>.</summary>
    void FillStoreInfo(NexusStore store, DbConnection connection, StoreInfo info, bool exact);
}
