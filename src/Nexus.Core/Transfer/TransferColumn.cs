namespace Nexus.Core.Transfer;

/// <summary>One column of a transferred table: its name and canonical type.</summary>
/// <param name="Name">The column name, the same in both dialects.</param>
/// <param name="Kind">The canonical type.</param>
/// <param name="IsInt32">True where PostgreSQL keeps the value as a 4-byte integer.</param>
public sealed record TransferColumn(string Name, ColumnKind Kind, bool IsInt32 = false);
