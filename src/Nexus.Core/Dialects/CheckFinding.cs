namespace Nexus.Core.Dialects;

/// <summary>
/// What one of the dialect's checks found, before Health names it and gives it a verdict: the
/// offending rows (none when all is well) and a sentence that says what they mean and what to do.
/// <paramref name="Incomplete"/>: the check could not run in full (the sentence says why).
/// </summary>
internal sealed record CheckFinding(RowSample Rows, string Details, bool Incomplete = false);
