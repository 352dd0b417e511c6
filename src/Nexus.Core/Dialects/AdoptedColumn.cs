namespace Nexus.Core.Dialects;

/// <summary>One column of a table being adopted from the original Nexus store, and where its value comes from.</summary>
/// <param name="Name">The column of migration 0001's table.</param>
/// <param name="Source">The column of the original table that fills it.</param>
/// <param name="SourceType">The source column's declared type, as the catalog names it.</param>
/// <param name="Kind">What it holds, which decides its conversion.</param>
/// <param name="WhenNull">The value a NULL in the source becomes (null: stays NULL).</param>
internal sealed record AdoptedColumn(string Name, string Source, string SourceType, OriginalColumnKind Kind, object? WhenNull);
