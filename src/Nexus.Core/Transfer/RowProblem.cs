namespace Nexus.Core.Transfer;

/// <summary>Why a row cannot be transferred: the column and what is wrong with its value.</summary>
/// <param name="Column">The column at fault (or the parent key, for a row whose file was skipped).</param>
/// <param name="Reason">What is wrong, in words a user can act on.</param>
internal sealed record RowProblem(string Column, string Reason);
