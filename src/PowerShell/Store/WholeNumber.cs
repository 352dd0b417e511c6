using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// A whole-number parameter that binds from the pipeline by property name is declared as object
/// and converted here: PowerShell's binder skips a by-property-name value it cannot convert and
/// keeps the default (Size='abc' or Size=1e30 would be stored as 0 without a word). Whole numbers
/// of any numeric type, and text that spells one, convert; a fraction, a number beyond Int64, or
/// anything else is an InvalidArgument error that names the parameter and the value.
/// </summary>
internal static class WholeNumber
{
    /// <summary>The value as a long; null or empty text is 0 (not given).</summary>
    public static long ToInt64(string name, object? value, string advice)
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

        var shown = value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value.ToString();
        throw new NexusException(NexusErrorKind.InvalidArgument,
            $"{name} '{shown}' is not a whole number that fits in Int64 (no fraction, at most {long.MaxValue}). {advice}",
            value);
    }

    private static bool Whole(decimal number) =>
        number == decimal.Truncate(number) && number >= long.MinValue && number <= long.MaxValue;
}
