namespace Nexus.Core.Dialects;

internal partial interface ISqlDialect
{
    /// <summary>What the migration engine (Migrations/) asks of this database: lock, journal, adoption pieces.</summary>
    IMigrationSql Migration { get; }
}
