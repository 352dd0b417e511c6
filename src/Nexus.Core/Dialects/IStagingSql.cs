using System.Data.Common;
using Nexus.Core.Connection;

namespace Nexus.Core.Dialects;

/// <summary>
/// The provider's pieces of a load through staging tables (Transfer/StagingSink): a schema beside
/// the store's own where the module's migrations build the tables, the catalog checks that say
/// whether the store's tables may be replaced wholesale, per-table key builds, and the swap.
/// Only a server dialect has one (SQLite has no schemas to stage in, and a file copy is cheap).
/// </summary>
internal interface IStagingSql
{
    /// <summary>The schema the store's tables live in (the connection's current schema).</summary>
    string HomeSchema(DbConnection connection);

    /// <summary>Takes the session lock that keeps two copies from using <paramref name="staging"/> at once; false when another session holds it.</summary>
    bool TryLockStaging(DbConnection connection, string staging);

    /// <summary>Releases the lock <see cref="TryLockStaging"/> took.</summary>
    void UnlockStaging(DbConnection connection, string staging);

    /// <summary>Drops <paramref name="staging"/> with everything in it; true when it existed (a run was killed).</summary>
    bool DropStaging(DbConnection connection, string staging);

    /// <summary>Whether the connection's user may create schemas in its database (the staging one).</summary>
    bool MayCreateSchema(DbConnection connection);

    /// <summary>Creates the empty schema <paramref name="staging"/>.</summary>
    void CreateStaging(DbConnection connection, string staging);

    /// <summary>A target whose connections see only <paramref name="staging"/> (migrations build the tables there).</summary>
    StoreTarget StagingTarget(StoreTarget home, string staging);

    /// <summary>
    /// Why the tables of <paramref name="home"/> may not be replaced by those of
    /// <paramref name="staging"/>, or null when they may: they are missing or exactly what the
    /// module's migrations built in <paramref name="staging"/> (no rows, grants, triggers,
    /// policies, publications, dependent views, foreign keys from elsewhere, extra indexes).
    /// </summary>
    string? WhyNotReplaceable(DbConnection connection, DbTransaction? transaction, string home, string staging, IReadOnlyList<string> tables);

    /// <summary>Drops the keys and indexes of the staging tables (seen by <paramref name="stagingConnection"/>) and returns them, to build each table's after its load.</summary>
    IStagedKeys StripKeys(DbConnection stagingConnection);

    /// <summary>A digest of the rows about to be loaded into a staging table with these columns (see <see cref="IStagedDigest"/>).</summary>
    IStagedDigest Digest(IReadOnlyList<BulkColumn> columns);

    /// <summary>Begins loading one stripped staging table on its own connection (the caller commits <see cref="BulkSink.Transaction"/>).</summary>
    BulkSink OpenLoad(DbConnection stagingConnection);

    /// <summary>
    /// In one transaction: re-checks <see cref="WhyNotReplaceable"/> under an exclusive lock,
    /// drops the store's tables and <paramref name="journal"/>, moves the staging ones into
    /// <paramref name="home"/> and drops the empty staging schema.
    /// </summary>
    void Swap(DbConnection connection, string home, string staging, IReadOnlyList<string> tables, string journal);

    /// <summary>Refreshes the planner's statistics of one table.</summary>
    void Analyze(DbConnection connection, string table);
}
