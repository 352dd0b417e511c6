using System.Data.Common;
using Nexus.Core.Connection;
using Nexus.Core.Store;

namespace Nexus.Core.Dialects;

/// <summary>
/// What the operations engines (health checks, store information, migration rehearsal) need to
/// differ between SQLite and PostgreSQL, reached as <see cref="ISqlDialect.Operations"/>. It
/// answers with plain facts; Health turns them into its results. The checks that are the same
/// SQL on both live in Health/StoreHealthChecker.
/// </summary>
internal interface IOperationsSql
{
    /// <summary>The engine's own consistency check: PRAGMA integrity_check / quick_check, or amcheck.</summary>
    CheckFinding CheckIntegrity(DbConnection connection, bool quick);

    /// <summary>Rows whose foreign-key reference has no parent row, for every foreign key of the schema.</summary>
    CheckFinding CheckForeignKeys(DbConnection connection);

    /// <summary>
    /// The store's schema objects (tables, columns, indexes, constraints) as comparable descriptions.
    /// A keyed layout's partitions (and what PostgreSQL clones onto them) are the table's own, not objects.
    /// </summary>
    IReadOnlySet<string> ListSchemaObjects(DbConnection connection);

    /// <summary>
    /// The schema objects that <paramref name="journalDdl"/> and then <paramref name="statements"/>
    /// make on an empty schema, built where it leaves nothing behind (SQLite: an in-memory database;
    /// PostgreSQL: a scratch schema in a transaction that is rolled back). On a tenant-keyed
    /// <paramref name="layout"/> the three store tables are then replaced by the layout's own
    /// (Layouts/tenant_keyed.sql: same names, tenant_id in every key), without partitions or shards.
    /// </summary>
    IReadOnlySet<string> ListSchemaObjectsOf(DbConnection connection, string journalDdl, IEnumerable<string> statements, StoreLayout layout);

    /// <summary>
    /// Opens where a migration rehearsal runs (a copy, or a transaction that is rolled back), on
    /// connections from <paramref name="openConnection"/>.
    /// </summary>
    RehearsalSandbox OpenRehearsal(Func<ConnectionIntent, DbConnection> openConnection);

    /// <summary>
    /// The store's sizes, <paramref name="tables"/>' rows and the pool of <paramref name="source"/>;
    /// <paramref name="exact"/> counts rows where the database would estimate them. A partitioned
    /// table's rows and size are its partitions'; a distributed table's are its shards' (the
    /// coordinator's table is an empty shell).
    /// </summary>
    StoreSizes ReadSizes(DbConnection connection, StoreTarget target, IConnectionSource source, IReadOnlyList<string> tables, bool exact, StoreLayout layout);
}
