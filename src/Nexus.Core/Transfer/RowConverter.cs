using System.Runtime.CompilerServices;
using System.Globalization;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Turns the values a database (or an export file) hands back into canonical values, in place,
/// and says which value could not be converted and why. Text ids must be 36-character uuids,
/// JSON must parse (see <see cref="CanonicalJson"/>), timestamps must read as times, integers must
/// be whole numbers; text may not hold U+0000 (PostgreSQL cannot store it).
/// </summary>
internal static class RowConverter
{
    /// <summary>Converts the row in place; returns null, or the problem with the column it is in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RowProblem? Convert(object?[] row, IReadOnlyList<TransferColumn> columns)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            var value = row[i];
            if (value is null or DBNull)
            {
                row[i] = null;
                continue;
            }

            var column = columns[i];
            string? error = null;
            switch (column.Kind)
            {
                case ColumnKind.Uuid:
                    if (value is Guid)
                    {
                        break;
                    }

                    if (value is string idText && Guid.TryParseExact(idText, "D", out var id))
                    {
                        row[i] = id;
                    }
                    else
                    {
                        error = $"'{Show(value)}' is not a uuid (expected 36 characters such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301)";
                    }

                    break;
                case ColumnKind.Text:
                    if (value is string text)
                    {
                        if (text.Contains('\0'))
                        {
                            error = "the text holds the character U+0000, which PostgreSQL cannot store";
                        }
                    }
                    else
                    {
                        error = $"expected text, found {Describe(value)}";
                    }

                    break;
                case ColumnKind.Json:
                    if (value is not string json)
                    {
                        error = $"expected JSON text, found {Describe(value)}";
                    }
                    else if (CanonicalJson.TryCanonicalize(json, out var canonical, out var jsonError))
                    {
                        row[i] = canonical;
                    }
                    else
                    {
                        error = "the value is " + jsonError;
                    }

                    break;
                case ColumnKind.Timestamp:
                    if (value is DateTime time)
                    {
                        row[i] = DbTime.Truncate(time);
                    }
                    else if (value is DateTimeOffset offset)
                    {
                        row[i] = DbTime.Truncate(offset.UtcDateTime);
                    }
                    else if (value is string timeText && TryParseTime(timeText, out var parsed))
                    {
                        row[i] = parsed;
                    }
                    else
                    {
                        error = $"'{Show(value)}' is not a timestamp (expected UTC ISO-8601 such as 2024-05-01T12:00:00.000000Z)";
                    }

                    break;
                case ColumnKind.Integer:
                    switch (value)
                    {
                        case long:
                            break;
                        case int small:
                            row[i] = (long)small;
                            break;
                        case short tiny:
                            row[i] = (long)tiny;
                            break;
                        case string digits when long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                            row[i] = number;
                            break;
                        default:
                            error = $"'{Show(value)}' is not a whole number";
                            break;
                    }

                    break;
            }

            if (error is not null)
            {
                return new RowProblem(column.Name, error);
            }
        }

        return null;
    }

    private static bool TryParseTime(string text, out DateTime value)
    {
        value = default;
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]))
        {
            return false;
        }

        if (TryParseCanonicalTime(text, out value))
        {
            return true;
        }

        return TimeText.TryRead(text, out value);
    }

    /// <summary>
    /// The fast path for this module's own form, yyyy-MM-ddTHH:mm:ss.ffffffZ (nearly every value
    /// of a store), and the same with 0 to 7 fraction digits (SQLite's strftime('%Y-%m-%dT%H:%M:%fZ')
    /// writes 3): what the general parser gives for them, cut to whole microseconds. Anything else
    /// goes through the general parser.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseCanonicalTime(string text, out DateTime value)
    {
        value = default;
        var fraction = text.Length - 21;   // digits after the '.'
        if (text.Length < 20 || text.Length == 21 || fraction > 7 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[^1] != 'Z' || (fraction > 0 && text[19] != '.'))
        {
            return false;
        }

        var ticks = 0;
        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second)
            || (fraction > 0 && !Digits(text, 20, fraction, out ticks))
            || month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        for (var i = Math.Max(fraction, 0); i < 7; i++)
        {
            ticks *= 10;
        }

        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks - (ticks % 10));
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Digits(string text, int start, int count, out int number)
    {
        number = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = text[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            number = (number * 10) + d;
        }

        return true;
    }

    private static string Describe(object value) => value switch
    {
        byte[] bytes => $"a {bytes.Length}-byte blob",
        double d => "the number " + d.ToString(CultureInfo.InvariantCulture),
        _ => $"'{Show(value)}' ({value.GetType().Name})",
    };

    internal static string Show(object value)
    {
        var text = value switch
        {
            byte[] bytes => "0x" + System.Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 16))),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return text.Length > 80 ? text[..77] + "..." : text;
    }
}
