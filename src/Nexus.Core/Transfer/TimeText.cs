using System.Globalization;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Timestamps as text in export files, reject files and the manifest: UTC ISO-8601 with whole
/// microseconds (yyyy-MM-ddTHH:mm:ss.ffffffZ), which sorts in time order. It is part of the
/// export format; it is the store's own text form (<see cref="DbTime.TextFormat"/>), and reading is
/// lenient so that the naive form of the original system's stores is accepted too.
/// </summary>
internal static class TimeText
{
    /// <summary>The format of <see cref="Write"/>.</summary>
    public const string Format = DbTime.TextFormat;

    /// <summary>The text of a timestamp (converted to UTC, cut to whole microseconds).</summary>
    public static string Write(DateTime value) => DbTime.ToText(value);

    /// <summary>
    /// Reads a timestamp in any ISO-8601-like form, including the naive "yyyy-MM-dd HH:mm:ss[.ffffff]"
    /// that stores made by the original system hold (taken as UTC).
    /// </summary>
    public static bool TryRead(string text, out DateTime value)
    {
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = DbTime.Truncate(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            return true;
        }

        value = default;
        return false;
    }
}
