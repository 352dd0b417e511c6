using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.PowerShell.Completion;

/// <summary>
/// What the completers read from the command line being completed (the word, the other bound
/// parameters, the store) and how they write a value back so that PowerShell parses it as itself.
/// </summary>
internal static class CompletionInput
{
    /// <summary>The store named by -Store on the command line, else this runspace's default; null when none is open.</summary>
    public static NexusStore? StoreOf(IDictionary bound)
    {
        var store = Unwrap(bound["Store"]) as NexusStore ?? DefaultStore.Get();
        return store is { IsOpen: true } ? store : null;
    }

    /// <summary>A bound parameter as text (the first value of an array); null when absent or not text.</summary>
    public static string? Text(IDictionary bound, string name)
    {
        var value = Unwrap(bound[name]);
        if (value is object[] values)
        {
            value = values.Length > 0 ? Unwrap(values[0]) : null;
        }

        return value as string;
    }

    /// <summary>The -Tenant on the command line, else the default tenant.</summary>
    public static string TenantOf(IDictionary bound) =>
        Text(bound, "Tenant") is { Length: > 0 } tenant ? tenant : Tenants.Default;

    /// <summary>The word being completed without its opening (and closing) quote.</summary>
    public static string Unquote(string? word)
    {
        if (string.IsNullOrEmpty(word))
        {
            return string.Empty;
        }

        var quote = word[0];
        if (IsSingleQuote(quote))
        {
            var body = word.Length > 1 && IsSingleQuote(word[^1]) ? word[1..^1] : word[1..];
            return body.Replace("''", "'");
        }

        if (IsDoubleQuote(quote))
        {
            var body = word.Length > 1 && IsDoubleQuote(word[^1]) ? word[1..^1] : word[1..];
            return body.Replace("``", "\u0000").Replace("`", string.Empty).Replace("\u0000", "`");
        }

        return word;
    }

    /// <summary>
    /// A completion whose text parses back to <paramref name="value"/>: in the quotes the user
    /// opened, else bare when PowerShell would read it unchanged, else in single quotes.
    /// </summary>
    public static CompletionResult Result(string value, string word, string listItem, string toolTip)
    {
        var opened = string.IsNullOrEmpty(word) ? '\0' : word[0];
        string text;
        if (IsDoubleQuote(opened))
        {
            var body = new System.Text.StringBuilder();
            foreach (var c in value)
            {
                if (c is '`' or '$' || IsDoubleQuote(c))
                {
                    body.Append('`');
                }

                body.Append(c);
            }

            text = "\"" + body + "\"";
        }
        else if (IsSingleQuote(opened) || NeedsQuotes(value))
        {
            text = "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
        }
        else
        {
            text = value;
        }

        return new CompletionResult(text, string.IsNullOrEmpty(listItem) ? value : listItem,
            CompletionResultType.ParameterValue, string.IsNullOrEmpty(toolTip) ? value : toolTip);
    }

    /// <summary>Values that start with the typed text (case-insensitively), as completions.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string typed, string word) =>
        values.Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).Select(v => Result(v, word, v, v));

    private static bool NeedsQuotes(string value) =>
        value.Length == 0 || value[0] == '-' || value.Any(c => char.IsWhiteSpace(c) || IsSingleQuote(c) || IsDoubleQuote(c)
            || c is '`' or '$' or ';' or ',' or '(' or ')' or '{' or '}' or '@' or '#' or '|' or '&' or '<' or '>');

    // PowerShell also ends strings at the typographic quotes.
    private static bool IsSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    private static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
