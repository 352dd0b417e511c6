namespace Nexus.PowerShell;

/// <summary>What one -Path, -LiteralPath or piped record names: a tenant and an exact path, or a pattern.</summary>
/// <param name="Tenant">The checked tenant.</param>
/// <param name="Path">The exact path (not yet checked against the path rules), or the pattern's text.</param>
/// <param name="Pattern">The wildcard matcher, or null when <paramref name="Path"/> names one record.</param>
internal readonly record struct PathTarget(string Tenant, string Path, WildcardPath? Pattern);
