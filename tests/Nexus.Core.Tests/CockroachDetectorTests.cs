using Nexus.Core.Dialects.Postgres;
using Nexus.Core.Store;

namespace Nexus.Core.Tests;

/// <summary>
/// The CockroachDB detector: real version() texts of several CockroachDB releases (the
/// crdb_version startup parameter carries the same text) are detected; PostgreSQL and the
/// PostgreSQL-based systems a store may sit on are not. And the refusal says what differs.
/// </summary>
public class CockroachDetectorTests
{
    [Theory]
    [InlineData("CockroachDB OSS v19.1.1 (x86_64-linux-gnu, built 2019/05/22 11:04:55, go1.12.5)", "v19.1.1")]
    [InlineData("CockroachDB CCL v20.1.15 (x86_64-unknown-linux-gnu, built 2021/04/26 16:11:58, go1.13.9)", "v20.1.15")]
    [InlineData("CockroachDB CCL v21.1.1 (x86_64-apple-darwin19, built 2021/05/24 15:00:00, go1.15.11)", "v21.1.1")]
    [InlineData("CockroachDB CCL v21.1.5 (x86_64-apple-darwin19, built 2021/07/02 04:00:15, go1.15.11)", "v21.1.5")]
    [InlineData("CockroachDB CCL v23.1.8 (x86_64-pc-linux-gnu, built 2023/08/04 18:11:44, go1.19.10)", "v23.1.8")]
    [InlineData("CockroachDB CCL v23.2.0-alpha.6 (x86_64-pc-linux-gnu, built 2023/11/07 17:06:25, go1.20.10 X:nocoverageredesign)", "v23.2.0-alpha.6")]
    [InlineData("CockroachDB CCL v26.3.2 (aarch64-unknown-linux-gnu, built 2026/09/16 12:26:13, go1.26.6)", "v26.3.2")]
    [InlineData("  CockroachDB CCL v24.3.5 (x86_64-pc-linux-gnu)", "v24.3.5")] // leading blanks
    public void Detects_a_CockroachDB_version_text_and_names_its_release(string version, string release)
    {
        Assert.True(CockroachDetector.IsCockroach(version, null));
        Assert.Equal(release, CockroachDetector.Release(version, null));
        // The same text as the startup parameter, with version() not read.
        Assert.True(CockroachDetector.IsCockroach(null, version));
        Assert.Equal(release, CockroachDetector.Release(null, version));
    }

    [Theory]
    [InlineData("CockroachDB OSS v20.1.0", null, "v20.1.0")]
    // The parameter decides even when version() looks like PostgreSQL's.
    [InlineData("CockroachDB CCL v24.1.0 (x86_64-pc-linux-gnu, built 2024/05/15 21:28:29, go1.22.2)", "PostgreSQL 13.0.0", "v24.1.0")]
    // A parameter without a release still marks CockroachDB.
    [InlineData("CockroachDB", null, null)]
    public void Detects_CockroachDB_by_its_startup_parameter(string parameter, string? version, string? release)
    {
        Assert.True(CockroachDetector.IsCockroach(version, parameter));
        Assert.Equal(release, CockroachDetector.Release(version, parameter));
    }

    [Theory]
    [InlineData("PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit")]
    [InlineData("PostgreSQL 17.4 on aarch64-unknown-linux-gnu, compiled by gcc (GCC) 12.4.0, 64-bit")]
    [InlineData("PostgreSQL 16.3 on x86_64-pc-linux-gnu, compiled by Visual C++ build 1939, 64-bit")]
    // Citus: version() is its PostgreSQL's; citus_version() is a separate text.
    [InlineData("Citus 13.2.2 on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit")]
    // Managed PostgreSQL (Aurora-like) and other PostgreSQL-protocol systems.
    [InlineData("PostgreSQL 15.4 on aarch64-unknown-linux-gnu, compiled by aarch64-unknown-linux-gnu-gcc (GCC) 9.5.0, 64-bit")]
    [InlineData("PostgreSQL 11.2-YB-2.18.0.0-b0 on x86_64-pc-linux-gnu, compiled by clang version 15.0.3, 64-bit")]
    [InlineData("PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.12103")]
    // Only a leading "CockroachDB" counts, not the word elsewhere.
    [InlineData("PostgreSQL 16.2 on x86_64-pc-linux-gnu, compiled by gcc, 64-bit (data migrated from CockroachDB)")]
    [InlineData("")]
    [InlineData(null)]
    public void Does_not_take_PostgreSQL_or_PostgreSQL_based_systems_for_CockroachDB(string? version)
    {
        foreach (var parameter in new[] { null, "", "   " })
        {
            Assert.False(CockroachDetector.IsCockroach(version, parameter));
            Assert.Null(CockroachDetector.Release(version, parameter));
        }
    }

    [Fact]
    public void The_refusal_names_the_server_and_every_difference_for_this_module()
    {
        var error = CockroachGuard.Refusal("db.example:26257/nexus", "v23.1.8");

        Assert.Equal(NexusErrorKind.UnsupportedServer, error.Kind);
        Assert.Equal("db.example:26257/nexus", error.Target);
        Assert.Contains("db.example:26257/nexus is CockroachDB v23.1.8, not PostgreSQL", error.Message);
        Assert.Contains("has not written anything", error.Message);
        Assert.Matches("advisory locks .* lock nothing.*migration lock", error.Message);
        Assert.Matches("jsonb_path_ops.*0001 and 0003", error.Message);
        Assert.Contains("(DDL) after writes in the same transaction fail", error.Message);
        Assert.Contains("COPY ... TO in binary format is not implemented", error.Message);
        Assert.Matches("SERIALIZABLE.*40001", error.Message);
        Assert.Contains("docs/COCKROACHDB.md", error.Message);
    }

    [Fact]
    public void The_refusal_without_a_known_release_still_says_CockroachDB()
    {
        Assert.Contains("is CockroachDB, not PostgreSQL", CockroachGuard.Refusal("h:1/d", null).Message);
    }
}
