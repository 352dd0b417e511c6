using System.Text;

namespace Nexus.Core.Store;

/// <summary>Checks shared by paths, keys and tenants: length in characters, no control characters, valid Unicode.</summary>
internal static class TextRules
{
    /// <summary>Why the text cannot be stored, or null when it can.</summary>
    public static string? Problem(string text, int maxCharacters)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "contains a lone UTF-16 surrogate (not valid Unicode)";
            }
            else if (char.IsControl(c))
            {
                return $"contains the control character U+{(int)c:X4}";
            }

            count++;
        }

        return count > maxCharacters ? $"is {count} characters long, more than the {maxCharacters} allowed" : null;
    }

    /// <summary>The text with control characters shown as \uXXXX and long text shortened, for messages.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 120 ? text[..100] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append($"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > 120)
        {
            builder.Append($"…({text.Length} characters)");
        }

        return builder.ToString();
    }
}
