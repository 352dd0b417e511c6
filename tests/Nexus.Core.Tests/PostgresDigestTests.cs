using System.Text;
using Nexus.Core.Dialects.Postgres;
using Nexus.Core.Transfer;
using Xunit;

namespace Nexus.Core.Tests;

/// <summary>
/// The client's imitation of PostgreSQL's hashes and jsonb text, which the staging copy's
/// verification inside the server relies on. Every expected value was printed by PostgreSQL 15
/// itself (hashtextextended, hashint8extended, hashint4extended, uuid_hash_extended, jsonb::text).
/// A wrong imitation never passes a bad copy (the table is then read back), but it makes every
/// staged copy read its tables back: TransferStaging.Tests.ps1 checks a whole copy verifies inside.
/// </summary>
public class PostgresDigestTests
{
    [Theory]
    [InlineData("", -6939563903564495251L, 2755504096093790112L)]
    [InlineData("a", 3591986179850072241L, 6761863715122467050L)]
    [InlineData("abcd", -1038429303365892052L, -1805611576705526402L)]
    [InlineData("abcdefghi", -3278210106038014113L, 2640228520365942430L)]
    [InlineData("abcdefghijk", 3112909444737856467L, -4615438900308943748L)]
    [InlineData("abcdefghijkl", -7556637188122330412L, -9039814575907250350L)]
    [InlineData("abcdefghijklm", 8871624171452417744L, 1223120994160335261L)]
    [InlineData("hello world, this is a longer text of 37", 6982497308760546295L, -2089604034604657806L)]
    [InlineData("ünïcödé ✓ 😀", 7229712554124819427L, 5276659095729539124L)]
    public void Text_hashes_as_hashtextextended(string text, long seed0, long seed7)
    {
        Assert.Equal(seed0, (long)PostgresHash.Bytes(Encoding.UTF8.GetBytes(text), 0));
        Assert.Equal(seed7, (long)PostgresHash.Bytes(Encoding.UTF8.GetBytes(text), 7));
    }

    [Theory]
    [InlineData(0L, 4154612158245552303L, 1039157755263240601L)]
    [InlineData(1L, -3670598878359251130L, 8154189042689340213L)]
    [InlineData(-1L, -1888257769727981238L, -8246732482095048772L)]
    [InlineData(123456789012L, 5990271995538752477L, -4027032268942749221L)]
    [InlineData(long.MinValue, -9109110466470504941L, -3227055386849905253L)]
    [InlineData(-77L, 9216870853591788458L, 1630620548053568091L)]
    public void Bigint_hashes_as_hashint8extended(long value, long seed0, long seed3)
    {
        Assert.Equal(seed0, (long)PostgresHash.Int64(value, 0));
        Assert.Equal(seed3, (long)PostgresHash.Int64(value, 3));
    }

    [Fact]
    public void Integer_and_uuid_hash_as_the_server_does()
    {
        Assert.Equal(8010225493015854792L, (long)PostgresHash.UInt32(42, 0));
        var id = new byte[16];
        Guid.Parse("f854aa1a-039a-4cb1-a6fb-345ffe18230b").TryWriteBytes(id, bigEndian: true, out _);
        Assert.Equal(-5716840191738996095L, (long)PostgresHash.Bytes(id, 0));
    }

    [Theory]
    [InlineData("{\"zz\": 1, \"ü\": 2, \"u\": 3, \"😀\": 4, \"\": 5, \"aa\": {\"b\": [], \"a\": {}}}", "{\"\": 5, \"u\": 3, \"aa\": {\"a\": {}, \"b\": []}, \"zz\": 1, \"ü\": 2, \"😀\": 4}")]
    [InlineData("\"tab\\t cr\\r ff\\f bs\\b unit\\u001f del \\u007f / \\/ é \\\"q\\\" \\\\\"", "\"tab\\t cr\\r ff\\f bs\\b unit\\u001f del \u007f / / é \\\"q\\\" \\\\\"")]
    [InlineData("[0, -0, 0.0, 1E-7, 1e+2, 12.500, -1.5E+3, 9223372036854775808, 1e30, true, false, null]", "[0, 0, 0.0, 0.0000001, 100, 12.500, -1500, 9223372036854775808, 1000000000000000000000000000000, true, false, null]")]
    [InlineData("{\"k\": 1, \"k\": 2}", "{\"k\": 2}")]
    public void Canonical_json_prints_as_jsonb_text(string json, string server)
    {
        Assert.True(CanonicalJson.TryCanonicalize(json, out var canonical, out _));
        Assert.Equal(server, Encoding.UTF8.GetString(new JsonbText().From(canonical)));
    }
}
