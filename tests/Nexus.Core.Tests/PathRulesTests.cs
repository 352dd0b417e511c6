using System.Text;
using Nexus.Core.Store;

namespace Nexus.Core.Tests;

/// <summary>Virtual paths: what is accepted as written, what is refused and why, normalization, prefix ranges.</summary>
public class PathRulesTests
{
    [Theory]
    [InlineData("/a")]
    [InlineData("/docs/report.pdf")]
    [InlineData("/a b/c d.txt")]
    [InlineData("/a/.hidden")]
    [InlineData("/a/..b/c..")]
    [InlineData("/a/b.")]
    // Wildcard and LIKE characters are ordinary: stored and compared as written.
    [InlineData("/reports/*.pdf")]
    [InlineData("/what?/[draft]")]
    [InlineData("/100%_done")]
    [InlineData("/it's;\"quoted\"`back`")]
    [InlineData("/a\\b")]
    [InlineData("/ünïcödé/日本語/😀")]
    [InlineData("/e\u0301/\u00e9")] // both normalization forms, kept apart
    public void Validate_accepts_and_returns_the_path_unchanged(string path)
    {
        Assert.Same(path, PathRules.Validate(path));
        Assert.Null(PathRules.Problem(path, isPrefix: false));
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    [InlineData("a/b", "is not absolute (it must start with '/')")]
    [InlineData("docs", "is not absolute")]
    [InlineData(" /a", "is not absolute")]
    [InlineData("/", "names no file (it is just '/')")]
    [InlineData("/a//b", "contains an empty segment ('//')")]
    [InlineData("//a", "contains an empty segment ('//')")]
    [InlineData("/a/", "ends with '/'")]
    [InlineData("/a/./b", "contains a '.' segment (give the normalized path)")]
    [InlineData("/a/..", "contains a '..' segment")]
    [InlineData("/a/../b", "contains a '..' segment")]
    [InlineData("/a\tb", "contains the control character U+0009")]
    [InlineData("/a\nb", "contains the control character U+000A")]
    [InlineData("/a\0b", "contains the control character U+0000")]
    [InlineData("/a\u007fb", "contains the control character U+007F")]
    public void Validate_refuses_with_the_reason(string? path, string reason)
    {
        var error = Assert.Throws<NexusException>(() => PathRules.Validate(path));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(reason, error.Message);
        Assert.StartsWith("The path '", error.Message);
        Assert.Contains("such as '/docs/report.pdf'", error.Message);
        Assert.Equal(path, error.Target);
    }

    // Lone surrogates are built here: xUnit cannot carry them through InlineData.
    [Theory]
    [InlineData(0xD800)]
    [InlineData(0xDBFF)]
    [InlineData(0xDC00)]
    [InlineData(0xDFFF)]
    public void Validate_refuses_a_lone_surrogate(int codeUnit)
    {
        foreach (var path in new[] { "/a" + (char)codeUnit + "b", "/a" + (char)codeUnit })
        {
            var error = Assert.Throws<NexusException>(() => PathRules.Validate(path));

            Assert.Contains("contains a lone UTF-16 surrogate (not valid Unicode)", error.Message);
            Assert.Contains($@"\u{codeUnit:X4}", error.Message);
        }
    }

    [Theory]
    [InlineData("/a\tb", @"'/a\u0009b'")]
    [InlineData("/x\u0001", @"'/x\u0001'")]
    public void Messages_show_control_characters_escaped(string path, string shown)
    {
        var error = Assert.Throws<NexusException>(() => PathRules.Validate(path));

        Assert.Contains(shown, error.Message);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    [Fact]
    public void A_long_path_is_shortened_in_the_message()
    {
        var path = "/" + new string('x', 5000);

        var error = Assert.Throws<NexusException>(() => PathRules.Validate(path));

        Assert.Contains("is 5001 characters long, more than the 4096 allowed", error.Message);
        Assert.Contains("…(5001 characters)", error.Message);
        Assert.True(error.Message.Length < 600);
    }

    public static TheoryData<string, bool> Lengths => new()
    {
        { "/" + new string('a', PathRules.MaxLength - 1), true },
        { "/" + new string('a', PathRules.MaxLength), false },
        // Length counts code points: 4095 emoji are 8190 UTF-16 units and still fit.
        { "/" + string.Concat(Enumerable.Repeat("😀", PathRules.MaxLength - 1)), true },
        { "/" + string.Concat(Enumerable.Repeat("😀", PathRules.MaxLength)), false },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void At_most_4096_code_points(string path, bool accepted)
    {
        Assert.Equal(accepted, PathRules.Problem(path, isPrefix: false) is null);
        Assert.Equal(accepted, PathRules.Problem(path, isPrefix: true) is null);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/a/")]
    [InlineData("/docs/rep")]
    [InlineData("/a/..")] // a partial last segment: names starting with "..", like "/a/..b"
    [InlineData("/a/.")]
    [InlineData("/100%_")]
    public void ValidatePrefix_accepts_path_starts(string prefix)
    {
        Assert.Same(prefix, PathRules.ValidatePrefix(prefix));
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    [InlineData("a", "is not absolute")]
    [InlineData("//", "contains an empty segment ('//')")]
    [InlineData("/a//b", "contains an empty segment ('//')")]
    [InlineData("/a/./", "contains a '.' segment")]
    [InlineData("/../a", "contains a '..' segment")]
    [InlineData("/a\tb", "control character U+0009")]
    public void ValidatePrefix_refuses_with_the_reason(string? prefix, string reason)
    {
        var error = Assert.Throws<NexusException>(() => PathRules.ValidatePrefix(prefix));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith("The prefix '", error.Message);
        Assert.Contains(reason, error.Message);
    }

    // -LiteralPath: a record that is there already may have any shape; only empty and too long are refused.
    [Theory]
    [InlineData("/a//b")]
    [InlineData("/a/b/")]
    [InlineData("/a/./b")]
    [InlineData("a/b")]
    [InlineData("/a\tb")]
    [InlineData("/")]
    public void ValidateLiteral_takes_the_path_as_written(string path)
    {
        Assert.Same(path, PathRules.ValidateLiteral(path));
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    public void ValidateLiteral_refuses_empty(string? path, string reason)
    {
        var error = Assert.Throws<NexusException>(() => PathRules.ValidateLiteral(path));

        Assert.Equal(NexusErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ValidateLiteral_refuses_over_long()
    {
        var error = Assert.Throws<NexusException>(() => PathRules.ValidateLiteral("/" + new string('a', PathRules.MaxLength)));

        Assert.Contains("is longer than 4096 characters", error.Message);
    }

    [Theory]
    [InlineData("/a/b", "/a/b")]
    [InlineData("/a//b", "/a/b")]
    [InlineData("/a/b/", "/a/b")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/a/b/..", "/a")]
    [InlineData("/../../a", "/a")]
    [InlineData("a/b", "/a/b")]
    [InlineData("./a", "/a")]
    [InlineData("/a\tb/c\nd", "/a_b/c_d")]
    [InlineData("", "/")]
    [InlineData("//", "/")]
    [InlineData("/*/?", "/*/?")]
    public void Normalized_gives_the_path_the_rules_accept(string path, string expected)
    {
        Assert.Equal(expected, PathRules.Normalized(path));
    }

    [Theory]
    [InlineData("/a//b/")]
    [InlineData("x/./y/../z")]
    [InlineData("/a\u0001/b")]
    public void Normalized_paths_pass_Validate(string path)
    {
        Assert.Null(PathRules.Problem(PathRules.Normalized(path), isPrefix: false));
    }

    [Theory]
    [InlineData("/a", "/b")]
    [InlineData("/a/", "/a0")]
    [InlineData("/docs/rep", "/docs/req")]
    [InlineData("/a*", "/a+")]
    [InlineData("/a%", "/a&")]
    [InlineData("/z", "/{")]
    [InlineData("/\uD7FF", "/\uE000")] // skips the surrogate range
    [InlineData("/\uFFFF", "/\U00010000")]
    [InlineData("/😀", "/😁")]
    [InlineData("/a\U0010FFFF", "/b")] // the largest code point has no successor: carry left
    public void Successor_is_the_next_text_in_code_point_order(string prefix, string expected)
    {
        Assert.Equal(expected, PathRules.Successor(prefix));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\U0010FFFF")]
    [InlineData("\U0010FFFF\U0010FFFF")]
    public void Successor_is_null_when_there_is_none(string prefix)
    {
        Assert.Null(PathRules.Successor(prefix));
    }

    public static TheoryData<string, string> UnderPrefix => new()
    {
        { "/a", "/a" },
        { "/a", "/a/b" },
        { "/a", "/a\U0010FFFF" },
        { "/a", "/a\uFFFF" },
        { "/a", "/a😀" },
        { "/a/", "/a/\uE000" },
        { "/\uD7FF", "/\uD7FF\U0010FFFF" },
        { "/日本", "/日本語/x" },
    };

    // The range [prefix, Successor(prefix)) in UTF-8 byte order holds every text that starts with
    // the prefix: what the databases' range scans rely on.
    [Theory]
    [MemberData(nameof(UnderPrefix))]
    public void Every_text_under_a_prefix_sorts_below_its_successor(string prefix, string text)
    {
        var successor = PathRules.Successor(prefix)!;

        Assert.True(Utf8Compare(prefix, text) <= 0);
        Assert.True(Utf8Compare(text, successor) < 0);
    }

    [Theory]
    [InlineData("/a", "/b")]
    [InlineData("/a", "/b/x")]
    [InlineData("/a/", "/a0")]
    [InlineData("/a/", "/a1")]
    public void Texts_past_the_prefix_sort_at_or_above_its_successor(string prefix, string text)
    {
        Assert.True(Utf8Compare(text, PathRules.Successor(prefix)!) >= 0);
    }

    private static int Utf8Compare(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
