using System.Globalization;

namespace Nexus.Core.Store;

/// <summary>
/// Timestamps as the stores keep them: UTC, microsecond precision, and where a database or a file
/// keeps time as text (the embedded store, export and reject files), ISO-8601 text that sorts in time order.
/// </summary>
public static class DbTime
{
    /// <summary>The text form of a timestamp (ISO-8601 UTC, six fraction digits).</summary>
    public const string TextFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Now, in UTC, truncated to whole microseconds.</summary>
    public static DateTime UtcNow() => Truncate(DateTime.UtcNow);

    /// <summary>Converts to UTC (an unspecified kind counts as UTC) and drops sub-microsecond ticks.</summary>
    public static DateTime Truncate(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);
    }

    /// <summary>The text form of a timestamp (<see cref="TextFormat"/>).</summary>
    public static string ToText(DateTime value) =>
        Truncate(value).ToString(TextFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a timestamp kept as text: this module's form, or the naive "yyyy-MM-dd HH:mm:ss[.ffffff]"
    /// text that embedded stores made by the original system hold (taken as UTC).
    /// </summary>
    public static DateTime FromText(string text)
    {
        var parsed = DateTime.Parse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return Truncate(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
    }
}
