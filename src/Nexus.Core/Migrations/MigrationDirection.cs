namespace Nexus.Core.Migrations;

/// <summary>Which way a migration step goes.</summary>
public enum MigrationDirection
{
    /// <summary>Runs the up script and journals the migration.</summary>
    Up,

    /// <summary>Runs the journaled down script and removes the journal row.</summary>
    Down,
}
