using System.Text.RegularExpressions;

namespace Nexus.Core.Connection;

/// <summary>
/// The one place that decides what of a user's connection text may be shown. In a URL, however
/// malformed, everything between "://" (or the start of the text) and the last '@' is user name
/// and password and is shown as ***; so are Password=/Pwd=/Psw= values (ADO.NET keywords, URL
/// query options). Every message, error target and verbose line that quotes connection text, or
/// a piece cut from it, goes through <see cref="Redact"/> or <see cref="Scrub"/>.
/// </summary>
public static class SecretText
{
    /// <summary>What a hidden part is shown as.</summary>
    public const string Mask = "***";

    // Password=secret; Pwd='se;cret'; ?password=secret&…
    private static readonly Regex PasswordKeyword = new(
        @"(?i)(?<key>\b(password|pwd|psw)\s*=\s*)(?<value>""(?:[^""]|"""")*""|'(?:[^']|'')*'|[^;&]*)", RegexOptions.Compiled);

    // Pieces of a password are the runs between URL and connection-string delimiters.
    private static readonly char[] Delimiters = [':', '/', '?', '#', '@', '&', '=', ';', ',', ' ', '\'', '"'];

    /// <summary>The text with its user-info part and password values replaced by ***.</summary>
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Keyword values first: a quoted password may itself hold an '@'.
        var redacted = PasswordKeyword.Replace(text, "${key}" + Mask);
        var at = redacted.LastIndexOf('@');
        if (at >= 0)
        {
            var start = UserInfoStart(redacted, at);
            redacted = redacted[..start] + Mask + redacted[at..];
        }

        return redacted;
    }

    /// <summary>
    /// <paramref name="message"/> (built from pieces of <paramref name="input"/>: a port, an option,
    /// a host) with the input itself redacted and every piece of its password replaced by ***, so a
    /// password split by an unencoded '/' or '?' cannot come back as "the port" or "the option".
    /// </summary>
    public static string Scrub(string message, string input)
    {
        if (string.IsNullOrEmpty(message) || string.IsNullOrEmpty(input))
        {
            return message;
        }

        var scrubbed = message.Replace(input, Redact(input), StringComparison.Ordinal);
        foreach (var piece in PasswordPieces(input).OrderByDescending(p => p.Length))
        {
            scrubbed = scrubbed.Replace(piece, Mask, StringComparison.Ordinal);
        }

        return scrubbed;
    }

    /// <summary>True when <paramref name="text"/> holds a piece of the password in <paramref name="input"/>.</summary>
    public static bool Reveals(string? text, string input) =>
        !string.IsNullOrEmpty(text) && PasswordPieces(input).Any(p => text.Contains(p, StringComparison.Ordinal));

    private static int UserInfoStart(string text, int at)
    {
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 && scheme < at ? scheme + 3 : 0;
    }

    // The runs (3 characters or more, so that messages stay readable) of every password the
    // input may hold: the URL's user info after its first ':', and the keyword values.
    private static IEnumerable<string> PasswordPieces(string input)
    {
        var secrets = new List<string>();
        var at = input.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = input[UserInfoStart(input, at)..at];
            var colon = userInfo.IndexOf(':');
            if (colon >= 0)
            {
                secrets.Add(userInfo[(colon + 1)..]);
            }
        }

        secrets.AddRange(PasswordKeyword.Matches(input).Select(m => m.Groups["value"].Value));
        return secrets
            .SelectMany(s => new[] { s, Uri.UnescapeDataString(s) })
            .SelectMany(s => s.Split(Delimiters, StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 3)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
