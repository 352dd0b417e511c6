using System.Text;

namespace Nexus.Core.Store;

/// <summary>Attribute keys (1–255 characters, not blank) and the size limit of a value.</summary>
public static class AttributeRules
{
    /// <summary>The longest key, in characters (the schema's varchar(255)).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The largest value: 1 MiB of JSON text (UTF-8). Larger values are refused whole.</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>Returns the key, or throws an InvalidArgument error naming it.</summary>
    public static string ValidateKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The attribute key '{key}' is empty or blank.", key, hint: $"A key is 1 to {MaxKeyLength} characters with at least one that is not white space.");
        }

        var problem = TextRules.Problem(key, MaxKeyLength);
        if (problem is not null)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The attribute key '{TextRules.Printable(key)}' {problem}.", key);
        }

        return key;
    }

    /// <summary>Throws an InvalidArgument error when the JSON text of a value is over the limit.</summary>
    public static void CheckValueSize(string key, string json)
    {
        // Fast path: even at 3 bytes a character the text is under the limit.
        if (json.Length * 3 <= MaxValueBytes)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxValueBytes)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The value of attribute '{key}' is {bytes:N0} bytes as JSON, more than the limit of {MaxValueBytes:N0} bytes (1 MiB).",
                key, hint: "Store large content as a file or chunk and keep a reference in the attribute.");
        }
    }
}
