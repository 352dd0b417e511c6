using Nexus.Core.Transfer;

namespace Nexus.Core.Tests;

/// <summary>
/// One text per JSON value, so SQLite's stored text and PostgreSQL jsonb's output compare equal:
/// sorted members, last duplicate wins, no whitespace, numbers as PostgreSQL numeric prints them.
/// </summary>
public class CanonicalJsonTests
{
    private static string Canonical(string json)
    {
        Assert.True(CanonicalJson.TryCanonicalize(json, out var canonical, out var error), error);
        Assert.Null(error);
        return canonical;
    }

    [Theory]
    [InlineData("""{"b":1,"a":2}""", """{"a":2,"b":1}""")]
    [InlineData("""{"a":2,"b":1}""", """{"a":2,"b":1}""")]
    [InlineData("""{"aa":1,"a":2,"ab":3}""", """{"a":2,"aa":1,"ab":3}""")]
    [InlineData("""{"a":1,"B":2,"_":3,"1":4}""", """{"1":4,"B":2,"_":3,"a":1}""")] // ordinal, not culture
    [InlineData("""{"é":1,"z":2,"e":3}""", """{"e":3,"z":2,"é":1}""")]
    [InlineData("""{"":1," ":2}""", """{"":1," ":2}""")]
    [InlineData("""{}""", """{}""")]
    public void Members_are_sorted_by_name_ordinally(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", """{"a":2}""")]
    [InlineData("""{"b":0,"a":1,"b":2,"a":3}""", """{"a":3,"b":2}""")]
    [InlineData("""{"a":{"x":1},"a":[2]}""", """{"a":[2]}""")]
    [InlineData("""{"a":1,"b":2,"a":3}""", """{"a":3,"b":2}""")]
    public void A_repeated_member_keeps_its_last_value_as_jsonb_does(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
    }

    [Theory]
    [InlineData(" { \"a\" : [ 1 , 2 ] ,\n\t\"b\" : null } ", """{"a":[1,2],"b":null}""")]
    [InlineData("\r\n true \r\n", "true")]
    [InlineData("[ ]", "[]")]
    [InlineData("[3,1,2]", "[3,1,2]")] // arrays keep their order
    [InlineData("""[{"b":1,"a":2},{"d":{"z":0,"y":[{"q":1,"p":2}]}}]""", """[{"a":2,"b":1},{"d":{"y":[{"p":2,"q":1}],"z":0}}]""")]
    [InlineData("""{"z":{"b":{"d":1,"c":2},"a":3}}""", """{"z":{"a":3,"b":{"c":2,"d":1}}}""")]
    [InlineData("null", "null")]
    [InlineData("false", "false")]
    [InlineData("\"text\"", "\"text\"")]
    public void Whitespace_goes_and_nesting_is_canonical_at_every_level(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("42", "42")]
    [InlineData("-42", "-42")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("9223372036854775808", "9223372036854775808")] // past Int64: digits kept
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("1.50", "1.50")] // scale kept, as numeric does
    [InlineData("1.0", "1.0")]
    [InlineData("-1.0", "-1.0")]
    [InlineData("0.000", "0.000")]
    [InlineData("-0.0", "0.0")]
    [InlineData("-0.000", "0.000")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e2", "100")]
    [InlineData("1E2", "100")]
    [InlineData("1e+2", "100")]
    [InlineData("1.5e1", "15")]
    [InlineData("1.50e1", "15.0")]
    [InlineData("12.34e1", "123.4")]
    [InlineData("1.5e-1", "0.15")]
    [InlineData("5e-1", "0.5")]
    [InlineData("-5e-1", "-0.5")]
    [InlineData("1e-3", "0.001")]
    [InlineData("100e-2", "1.00")]
    [InlineData("0e10", "0")]
    [InlineData("-0e-2", "0.00")]
    [InlineData("1.0e0", "1.0")]
    [InlineData("2.5E+3", "2500")]
    [InlineData("0.00012e2", "0.012")]
    public void Numbers_print_as_PostgreSQL_numeric(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
        Assert.Equal(expected, Canonical($"[{json}]")[1..^1]);
        Assert.Equal(expected, Canonical($"{{\"n\":{json}}}")[5..^1]);
    }

    [Theory]
    [InlineData("1.5", "1.5")]
    [InlineData("-12.340", "-12.340")]
    [InlineData("7E-2", "0.07")]
    [InlineData("-3e3", "-3000")]
    public void CanonicalNumber_alone(string raw, string expected)
    {
        Assert.Equal(expected, CanonicalJson.CanonicalNumber(raw));
    }

    [Theory]
    [InlineData("\"\\u0041\"", "\"A\"")]
    [InlineData("\"\\u00e9\"", "\"é\"")]
    [InlineData("\"é\"", "\"é\"")]
    [InlineData("\"日本語\"", "\"日本語\"")]
    [InlineData("\"\\/\"", "\"/\"")]
    [InlineData("\"<b>&amp;'\"", "\"<b>&amp;'\"")] // no HTML escaping
    [InlineData("\"a\\\"b\"", "\"a\\\"b\"")]
    [InlineData("\"a\\\\b\"", "\"a\\\\b\"")]
    [InlineData("\"\\n\\t\\r\\b\\f\"", "\"\\n\\t\\r\\b\\f\"")]
    [InlineData("\"\\u001f\"", "\"\\u001F\"")]
    [InlineData("\"\\u001F\"", "\"\\u001F\"")]
    [InlineData("{\"\\u0062\":1,\"a\":2}", "{\"a\":2,\"b\":1}")] // names compare after unescaping
    public void Strings_are_re_escaped_one_fixed_way(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
    }

    [Theory]
    [InlineData("\"😀\"")]
    [InlineData("\"\\ud83d\\ude00\"")]
    [InlineData("\"\\uD83D\\uDE00\"")]
    public void A_character_beyond_the_BMP_has_one_form_however_it_came(string json)
    {
        Assert.Equal(Canonical("\"😀\""), Canonical(json));
    }

    [Theory]
    [InlineData("\"a\\u0000b\"")]
    [InlineData("{\"k\\u0000\":1}")]
    [InlineData("[1,{\"deep\":[\"\\u0000\"]}]")]
    public void U0000_is_refused_because_jsonb_cannot_store_it(string json)
    {
        Assert.False(CanonicalJson.TryCanonicalize(json, out var canonical, out var error));
        Assert.Equal(string.Empty, canonical);
        Assert.Contains("U+0000", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("{")]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("// comment\n1")]
    [InlineData("/* c */ 1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("+1")]
    [InlineData("0x10")]
    [InlineData("1 2")]
    [InlineData("{\"a\":1}x")]
    [InlineData("\"unterminated")]
    [InlineData("tru")]
    [InlineData("\"\\x\"")]
    [InlineData("\"\\ud800\"")] // a lone surrogate escape is not text
    public void Text_that_is_not_JSON_is_refused_with_the_reason(string json)
    {
        Assert.False(CanonicalJson.TryCanonicalize(json, out var canonical, out var error));
        Assert.Equal(string.Empty, canonical);
        Assert.StartsWith("not valid JSON: ", error);
    }

    [Theory]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Nesting_is_bounded(int depth, bool accepted)
    {
        var json = new string('[', depth) + new string(']', depth);

        Assert.Equal(accepted, CanonicalJson.TryCanonicalize(json, out var canonical, out _));
        if (accepted)
        {
            Assert.Equal(json, canonical);
        }
    }

    public static TheoryData<string> Samples => new()
    {
        """{"b":[1,2.50,{"y":null,"x":true}],"a":"é\n"}""",
        """[1e2,-0.0,{"k":{"k":{"k":"v"}}}]""",
        """{"a":1,"a":{"c":3,"b":2}}""",
        "\"\\u001f😀\"",
        "123456789012345678901234567890.5e-3",
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Canonical_text_is_a_fixed_point(string json)
    {
        var once = Canonical(json);

        Assert.Equal(once, Canonical(once));
    }

    [Theory]
    [InlineData("""{"a":1,"b":[1.0,2]}""", """ { "b" : [ 1.0 , 2 ] , "a" : 1 } """)]
    [InlineData("""{"n":100}""", """{"n":1e2}""")]
    [InlineData("""{"s":"é"}""", """{"s":"\u00e9"}""")]
    [InlineData("""{"a":2}""", """{"a":1,"a":2}""")]
    public void Equivalent_texts_have_the_same_canonical_form(string left, string right)
    {
        Assert.Equal(Canonical(left), Canonical(right));
    }

    [Theory]
    [InlineData("1.5", "1.50")]
    [InlineData("[1,2]", "[2,1]")]
    [InlineData("\"é\"", "\"e\u0301\"")]
    public void Different_values_stay_different(string left, string right)
    {
        Assert.NotEqual(Canonical(left), Canonical(right));
    }

    [Fact]
    public void Threads_do_not_share_a_half_written_buffer()
    {
        var results = new string[64];
        Parallel.For(0, results.Length, i => results[i] = Canonical($"{{\"b\":{i},\"a\":[{i},\"{new string('x', i * 10)}\"]}}"));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"{{\"a\":[{i},\"{new string('x', i * 10)}\"],\"b\":{i}}}", results[i]);
        }
    }
}
