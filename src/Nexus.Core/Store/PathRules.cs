using System.Text;

namespace Nexus.Core.Store;

/// <summary>
/// Virtual paths, checked the same way by every cmdlet: absolute, '/'-separated, normalized (no
/// empty, '.' or '..' segments, no trailing '/'), no control characters, at most 4096 characters.
/// Everything else ('%', '_', quotes, ';', any Unicode in any normalization form) is an ordinary
/// character that is stored and compared byte for byte.
/// </summary>
public static class PathRules
{
    /// <summary>The longest path, in characters (Unicode code points).</summary>
    public const int MaxLength = 4096;

    /// <summary>Returns the path, or throws an InvalidArgument error naming it.</summary>
    public static string Validate(string? path)
    {
        var problem = Problem(path, isPrefix: false);
        if (problem is not null)
        {
            throw Invalid(path, "path", problem);
        }

        return path!;
    }

    /// <summary>
    /// Returns a path taken exactly as written (-LiteralPath, piped records): it names a record that
    /// is there already, which a store adopted from the original system may hold under a path these
    /// rules refuse ('/a//b', '/a/b/', '/a/./b', a tab, a relative 'a/b'). Only an empty or
    /// over-long path is refused; nothing is normalized.
    /// </summary>
    public static string ValidateLiteral(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw Invalid(path, "path", "is empty");
        }

        if (path.EnumerateRunes().Count() > MaxLength)
        {
            throw Invalid(path, "path", $"is longer than {MaxLength} characters");
        }

        return path;
    }

    /// <summary>
    /// The path these rules would accept for <paramref name="path"/>: absolute, no empty or '.'
    /// segments, '..' taken back, no trailing '/', control characters as '_'. Adoption suggests it.
    /// </summary>
    public static string Normalized(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(new string(segment.Select(c => char.IsControl(c) ? '_' : c).ToArray()));
        }

        return "/" + string.Join('/', segments);
    }

    /// <summary>Returns the prefix (a path start; may end in '/'), or throws an InvalidArgument error.</summary>
    public static string ValidatePrefix(string? prefix)
    {
        var problem = Problem(prefix, isPrefix: true);
        if (problem is not null)
        {
            throw Invalid(prefix, "prefix", problem);
        }

        return prefix!;
    }

    /// <summary>Why the path cannot be used, or null when it can.</summary>
    public static string? Problem(string? path, bool isPrefix)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "is empty";
        }

        var text = TextRules.Problem(path, MaxLength);
        if (text is not null)
        {
            return text;
        }

        if (path[0] != '/')
        {
            return "is not absolute (it must start with '/')";
        }

        if (!isPrefix && path.Length == 1)
        {
            return "names no file (it is just '/')";
        }

        var segments = path.Split('/');
        // segments[0] is the empty text before the leading '/'; a prefix's last segment may be
        // partial (or empty, when the prefix ends in '/').
        var last = segments.Length - 1;
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (isPrefix && i == last)
            {
                continue;
            }

            if (segment.Length == 0)
            {
                return i == last ? "ends with '/'" : "contains an empty segment ('//')";
            }

            if (segment is "." or "..")
            {
                return $"contains a '{segment}' segment (give the normalized path)";
            }
        }

        return null;
    }

    /// <summary>
    /// The smallest text greater than every text that starts with <paramref name="prefix"/>, in
    /// code point order (which is UTF-8 byte order, as both databases compare here); null when
    /// there is none. Used for index range scans instead of LIKE, so no character is special.
    /// </summary>
    public static string? Successor(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last == 0x10FFFF)
            {
                continue;
            }

            var next = last == 0xD7FF ? 0xE000 : last + 1;
            var builder = new StringBuilder();
            foreach (var rune in runes)
            {
                builder.Append(rune.ToString());
            }

            builder.Append(new Rune(next).ToString());
            return builder.ToString();
        }

        return null;
    }

    private static NexusException Invalid(string? path, string what, string problem) =>
        new(NexusErrorKind.InvalidArgument,
            $"The {what} '{TextRules.Printable(path ?? string.Empty)}' {problem}. Paths are absolute and normalized, such as '/docs/report.pdf', with at most {MaxLength} characters.",
            path);
}
