using System.Globalization;

namespace Nexus.Core.Store;

/// <summary>
/// Timestamps as both databases keep them: UTC, microsecond precision (PostgreSQL's), and on
/// SQLite ISO-8601 text that sorts in time order.
/// </summary>
public static class DbTime
{
    /// <summary>The text form kept in SQLite columns.</summary>
    public const string SqliteFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

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

    /// <summary>The SQLite text form of a timestamp.</summary>
    public static string ToSqliteText(DateTime value) =>
        Truncate(value).ToString(SqliteFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a SQLite timestamp: this module's form, or the naive "yyyy-MM-dd HH:mm:ss[.ffffff]"
    /// text that stores made by the original system hold (taken as UTC).
    /// </summary>
    public static DateTime FromSqliteText(string text)
    {
        var parsed = DateTime.Parse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return Truncate(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
    }
}
