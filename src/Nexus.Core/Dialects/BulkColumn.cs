namespace Nexus.Core.Dialects;

/// <summary>A column that a <see cref="BulkSink"/> writes: its name and the type its values have.</summary>
/// <param name="Name">The column name, the same in both dialects.</param>
/// <param name="Type">The type of its values.</param>
internal sealed record BulkColumn(string Name, BulkValueType Type);
