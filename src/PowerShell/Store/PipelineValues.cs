using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// Typed parameters that bind from the pipeline by property name are declared as object and
/// converted here: PowerShell's binder skips a by-property-name value it cannot convert and keeps
/// the default (Size='abc' or Size=1e30 would be stored as 0, ProtectedUntil='soon' as no
/// protection, without a word). A value that does not convert is an InvalidArgument error that
/// names the parameter and the value.
/// </summary>
internal static class PipelineValues
{
    /// <summary>
    /// The value as a long: whole numbers of any numeric type, and text that spells one; a
    /// fraction or a number beyond Int64 is an error (the binder would round 1.5 to 2). Null or
    /// empty text is 0 (not given).
    /// </summary>
    public static long WholeNumber(string name, object? value, string advice)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        switch (value)
        {
            case null:
                return 0;
            case long exact:
                return exact;
            case sbyte or byte or short or ushort or int or uint:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong unsigned when unsigned <= long.MaxValue:
                return (long)unsigned;
            case BigInteger big when big >= long.MinValue && big <= long.MaxValue:
                return (long)big;
            case decimal number when Whole(number):
                return (long)number;
            case double or float:
                var real = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                // 2^63 is the first double beyond Int64; -2^63 is still inside.
                if (double.IsFinite(real) && real == Math.Truncate(real) && real >= -9.2233720368547758E18 && real < 9.2233720368547758E18)
                {
                    return (long)real;
                }

                break;
            case string text:
                var trimmed = text.Trim();
                if (trimmed.Length == 0)
                {
                    return 0;
                }

                if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                if (decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var spelled) && Whole(spelled))
                {
                    return (long)spelled;
                }

                break;
        }

        throw Refuse(name, value, $"is not a whole number that fits in Int64 (no fraction, at most {long.MaxValue}). {advice}");
    }

    /// <summary>
    /// The value as a DateTime, converted as the binder converts it (invariant culture); null or
    /// empty text is null (not given).
    /// </summary>
    public static DateTime? Time(string name, object? value, string advice)
    {
        if (value is PSObject wrapped)
        {
            value = wrapped.BaseObject;
        }

        switch (value)
        {
            case null:
            case string text when text.Trim().Length == 0:
                return null;
            case DateTime time:
                return time;
            case DateTimeOffset offset:
                return offset.UtcDateTime;
        }

        if (LanguagePrimitives.TryConvertTo<DateTime>(value, CultureInfo.InvariantCulture, out var converted))
        {
            return converted;
        }

        throw Refuse(name, value, $"is not a date and time. {advice}");
    }

    private static NexusException Refuse(string name, object value, string problem)
    {
        var shown = value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString();
        return new NexusException(NexusErrorKind.InvalidArgument, $"{name} '{shown}' {problem}", value);
    }

    private static bool Whole(decimal number) =>
        number == decimal.Truncate(number) && number >= long.MinValue && number <= long.MaxValue;
}
