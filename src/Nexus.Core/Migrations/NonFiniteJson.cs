using System.Text;

namespace Nexus.Core.Migrations;

/// <summary>
/// The original system wrote attribute values with Python's json.dumps, which writes the
/// non-finite numbers NaN, Infinity and -Infinity as bare words that JSON does not allow. This
/// finds them outside strings and, for <see cref="NonFiniteNumbers.AsString"/>, spells each as the
/// JSON string "NaN", "Infinity" or "-Infinity".
/// </summary>
internal static class NonFiniteJson
{
    private static readonly string[] Words = { "-Infinity", "Infinity", "NaN" };

    /// <summary>The text with every bare NaN/Infinity/-Infinity quoted, and how many there were.</summary>
    public static (string Text, int Count) Quote(string json)
    {
        var result = new StringBuilder(json.Length + 8);
        var count = 0;
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            if (c == '"')
            {
                // Copy a string whole, escapes included: nothing inside it is a number.
                var end = i + 1;
                while (end < json.Length && json[end] != '"')
                {
                    end += json[end] == '\\' ? 2 : 1;
                }

                end = Math.Min(end + 1, json.Length);
                result.Append(json, i, end - i);
                i = end;
                continue;
            }

            var word = Words.FirstOrDefault(w => string.CompareOrdinal(json, i, w, 0, w.Length) == 0);
            if (word is not null)
            {
                result.Append('"').Append(word).Append('"');
                count++;
                i += word.Length;
                continue;
            }

            result.Append(c);
            i++;
        }

        return (result.ToString(), count);
    }
}
