using System.Collections;
using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell.Completion;

/// <summary>
/// The attribute keys of the record that -LiteralPath or -Path (and -Tenant) on the command line
/// name; nothing until a path is given.
/// </summary>
public sealed class AttributeKeyCompleter : StoreCompleter
{
    /// <inheritdoc />
    protected override Func<CompletionLookups, IReadOnlyList<string>>? Prepare(string typed, IDictionary bound)
    {
        var literal = CompletionInput.Text(bound, "LiteralPath");
        var path = literal ?? CompletionInput.Text(bound, "Path");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        // A -Path that takes wildcards may hold an escaped literal path ("/a`[1`].txt"): try both readings.
        var unescaped = literal is null && path.Contains('`') ? WildcardPattern.Unescape(path) : null;
        var tenant = CompletionInput.TenantOf(bound);
        return lookups =>
        {
            var keys = lookups.AttributeKeys(tenant, path, Limit);
            if (keys.Count == 0 && unescaped is not null)
            {
                keys = lookups.AttributeKeys(tenant, unescaped, Limit);
            }

            return keys.Where(k => k.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        };
    }

    /// <inheritdoc />
    protected override IEnumerable<CompletionResult> Complete(IReadOnlyList<string> values, string word) =>
        values.Select(key => CompletionInput.Result(key, word, key, key));
}
