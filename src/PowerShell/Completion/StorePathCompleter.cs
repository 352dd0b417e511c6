using System.Collections;
using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell.Completion;

/// <summary>
/// Completes stored paths one segment at a time: "/rep" offers "/reports/" (once, however many
/// records are under it) and "/reports/" offers what is directly inside. Live records of the
/// -Tenant on the command line (else the default tenant).
/// </summary>
public abstract class StorePathCompleter : StoreCompleter
{
    /// <summary>True for a -Path that takes wildcards: typed text is a pattern, offered paths are escaped.</summary>
    protected abstract bool Wildcards { get; }

    /// <inheritdoc />
    protected override Func<CompletionLookups, IReadOnlyList<string>>? Prepare(string typed, IDictionary bound)
    {
        if (Wildcards)
        {
            // A pattern is not a prefix: "/rep*" has nothing to complete. Escaped characters are literal.
            if (WildcardPattern.ContainsWildcardCharacters(typed))
            {
                return null;
            }

            typed = WildcardPattern.Unescape(typed);
        }

        var prefix = typed.StartsWith('/') ? typed : "/" + typed;
        var tenant = CompletionInput.TenantOf(bound);
        return lookups => lookups.NextPathSegments(tenant, prefix, Limit);
    }

    /// <inheritdoc />
    protected override IEnumerable<CompletionResult> Complete(IReadOnlyList<string> values, string word)
    {
        foreach (var path in values)
        {
            var value = Wildcards ? WildcardPattern.Escape(path) : path;
            yield return CompletionInput.Result(value, word, LastSegment(path), path);
        }
    }

    /// <summary>"reports/" for "/reports/", "q3.pdf" for "/reports/q3.pdf": what the menu lists.</summary>
    private static string LastSegment(string path)
    {
        var end = path.EndsWith('/') ? path.Length - 1 : path.Length;
        var start = end > 0 ? path.LastIndexOf('/', end - 1) + 1 : 0;
        return path[start..];
    }
}
