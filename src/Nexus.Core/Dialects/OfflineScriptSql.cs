namespace Nexus.Core.Dialects;

/// <summary>
/// The pieces of an offline migration script (-Script) that differ by database; the script's
/// shape (a transaction per step with its journal row) is the migration engine's.
/// </summary>
/// <param name="Engine">The database's name in the script's heading.</param>
/// <param name="Prologue">Text before the first step (empty for none).</param>
/// <param name="StepCheck">Text at the end of each step, before its COMMIT (empty for none).</param>
/// <param name="Epilogue">Text after the last step (empty for none).</param>
/// <param name="Now">The SQL expression for the journal row's applied_at.</param>
internal sealed record OfflineScriptSql(string Engine, string Prologue, string StepCheck, string Epilogue, string Now);
