namespace Nexus.Core.Migrations;

/// <summary>Where a migration stands in one store.</summary>
public enum MigrationState
{
    /// <summary>Known to the module, not yet applied to the store.</summary>
    Pending,

    /// <summary>Applied; recorded in the store's journal.</summary>
    Applied,

    /// <summary>Recorded in the store's journal but unknown to this module (a newer module applied it).</summary>
    Unknown,
}
