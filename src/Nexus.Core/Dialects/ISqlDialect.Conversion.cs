namespace Nexus.Core.Dialects;

/// <summary>Rebuilding a store's tables in another layout (Layouts/, Convert-NexusStore).</summary>
internal partial interface ISqlDialect
{
    /// <summary>The conversion part, or null when the database has only the plain layout (SQLite).</summary>
    ILayoutConversionSql? Conversion { get; }
}
