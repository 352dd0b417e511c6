using System.Text;

namespace Nexus.Core.Migrations;

/// <summary>
/// Splits a migration script into its statements so each runs as its own command and a failure
/// can name the statement. Semicolons inside quotes, comments, PostgreSQL dollar quotes and
/// SQLite trigger bodies (BEGIN … END) do not split.
/// </summary>
internal static class SqlStatementSplitter
{
    public static IReadOnlyList<string> Split(string script)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        var depth = 0; // BEGIN … END nesting inside CREATE TRIGGER
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (CommentEnd(script, i) is var commentEnd and >= 0)
            {
                current.Append(script, i, commentEnd - i);
                i = commentEnd;
                continue;
            }

            if (c is '\'' or '"' or '`')
            {
                var end = i + 1;
                while (end < script.Length)
                {
                    if (script[end] == c)
                    {
                        if (Next(script, end) == c)
                        {
                            end += 2;
                            continue;
                        }

                        break;
                    }

                    end++;
                }

                end = Math.Min(end + 1, script.Length);
                current.Append(script, i, end - i);
                i = end;
                continue;
            }

            if (c == '$' && DollarTag(script, i) is { } tag)
            {
                var end = script.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                end = end < 0 ? script.Length : end + tag.Length;
                current.Append(script, i, end - i);
                i = end;
                continue;
            }

            if (char.IsLetter(c) && (i == 0 || !IsWordChar(script[i - 1])))
            {
                var end = i;
                while (end < script.Length && IsWordChar(script[end]))
                {
                    end++;
                }

                var word = script[i..end];
                if (word.Equals("BEGIN", StringComparison.OrdinalIgnoreCase) && IsTrigger(current))
                {
                    depth++;
                }
                else if (word.Equals("CASE", StringComparison.OrdinalIgnoreCase) && depth > 0)
                {
                    depth++; // its END closes the CASE, not the trigger body
                }
                else if (word.Equals("END", StringComparison.OrdinalIgnoreCase) && depth > 0)
                {
                    depth--;
                }

                current.Append(word);
                i = end;
                continue;
            }

            if (c == ';' && depth == 0)
            {
                Add(statements, current);
                i++;
                continue;
            }

            current.Append(c);
            i++;
        }

        Add(statements, current);
        return statements;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsTrigger(StringBuilder statement) =>
        System.Text.RegularExpressions.Regex.IsMatch(statement.ToString(), @"\bCREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static string? DollarTag(string text, int i)
    {
        var end = i + 1;
        while (end < text.Length && IsWordChar(text[end]))
        {
            end++;
        }

        return end < text.Length && text[end] == '$' && (end == i + 1 || !char.IsDigit(text[i + 1])) ? text[i..(end + 1)] : null;
    }

    private static void Add(List<string> statements, StringBuilder current)
    {
        var text = current.ToString().Trim();
        current.Clear();
        if (HasCode(text))
        {
            statements.Add(text);
        }
    }

    /// <summary>True unless the text is only comments (-- and /* */) and white space.</summary>
    private static bool HasCode(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (CommentEnd(text, i) is var commentEnd and >= 0)
            {
                i = commentEnd;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The index just past the comment (-- to the line end, /* */) starting at <paramref name="i"/>; -1 when none starts there.</summary>
    private static int CommentEnd(string text, int i)
    {
        if (text[i] == '-' && Next(text, i) == '-')
        {
            var end = text.IndexOf('\n', i);
            return end < 0 ? text.Length : end;
        }

        if (text[i] == '/' && Next(text, i) == '*')
        {
            var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + 2;
        }

        return -1;
    }
}
