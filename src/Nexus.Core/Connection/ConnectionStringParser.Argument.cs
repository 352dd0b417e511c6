namespace Nexus.Core.Connection;

/// <summary>
/// The text of a store argument (-Store, -Source, -Destination, -ConnectionString): the one place
/// that decides whether text is a URL, an ADO.NET connection string or a SQLite file path.
/// </summary>
public static partial class ConnectionStringParser
{
    /// <summary>
    /// True for text that names a SQLite file: not a URL (nor one that lost its "//", which must
    /// never become a file named after a password) and no "Key=value" connection string.
    /// Leading and trailing whitespace does not count.
    /// </summary>
    public static bool IsFilePath(string text) =>
        !string.IsNullOrWhiteSpace(text) && !LooksLikeUrl(text) && !text.Contains('=');

    /// <summary>
    /// Parses a store argument with its leading and trailing whitespace removed: a URL or ADO.NET
    /// connection string, or — when <paramref name="resolvePath"/> is given (the parameter takes
    /// files) — a SQLite file path, which <paramref name="resolvePath"/> turns into a full path
    /// (PowerShell's current location and drives). Without it a file path is refused as
    /// <see cref="Parse"/> refuses it.
    /// </summary>
    public static StoreTarget ParseArgument(string text, ConnectionOptions options, Func<string, string>? resolvePath)
    {
        var trimmed = text.Trim();
        return resolvePath is not null && IsFilePath(trimmed)
            ? ForFile(resolvePath(trimmed), options)
            : Parse(trimmed, options);
    }
}
