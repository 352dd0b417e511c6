namespace Nexus.Core.Dialects;

/// <summary>One table's rows (counted, or the planner's estimate) and its size in bytes where the database tells.</summary>
internal sealed record TableSize(string Name, long Rows, bool RowsEstimated, long? SizeBytes);
