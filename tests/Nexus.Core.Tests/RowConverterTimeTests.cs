using System.Globalization;
using Nexus.Core.Transfer;
using Xunit;

namespace Nexus.Core.Tests;

/// <summary>The fast path for ISO-8601 UTC timestamps gives what the general parser gives, cut to microseconds.</summary>
public class RowConverterTimeTests
{
    private static readonly IReadOnlyList<TransferColumn> Column = [new TransferColumn("t", ColumnKind.Timestamp)];

    [Theory]
    [InlineData("2024-01-02T03:04:05Z")]
    [InlineData("2024-01-02T03:04:05.1Z")]
    [InlineData("2024-01-02T03:04:05.925Z")]
    [InlineData("2024-01-02T03:04:05.123456Z")]
    [InlineData("2024-01-02T03:04:05.1234567Z")]
    [InlineData("2024-02-29T23:59:59.999999Z")]
    [InlineData("2024-01-02 03:04:05.123")]
    public void Reads_as_the_general_parser_does(string text)
    {
        var row = new object?[] { text };
        Assert.Null(RowConverter.Convert(row, Column));
        var expected = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        expected = new DateTime(expected.Ticks - (expected.Ticks % 10), DateTimeKind.Utc);
        Assert.Equal(expected, row[0]);
        Assert.Equal(DateTimeKind.Utc, ((DateTime)row[0]!).Kind);
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("not a time at all")]
    public void Refuses_what_the_general_parser_refuses(string text)
    {
        var row = new object?[] { text };
        Assert.NotNull(RowConverter.Convert(row, Column));
    }
}
