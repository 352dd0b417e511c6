namespace Nexus.Core.Dialects;

/// <summary>The migration journal's table, as each dialect's JournalTableDdl creates it.</summary>
internal static class JournalTable
{
    /// <summary>The table's name (the same on every database).</summary>
    public const string Name = "nexus_schema_journal";
}
