using System.Text.RegularExpressions;

namespace Nexus.Core.Dialects.Postgres;

/// <summary>
/// Tells CockroachDB apart from PostgreSQL. CockroachDB speaks the PostgreSQL wire protocol and
/// reports a PostgreSQL version number as server_version, so the URL scheme and Npgsql's version say
/// nothing; what gives it away is the <c>crdb_version</c> parameter it sends at startup and its
/// <c>version()</c> text, which starts with "CockroachDB". A pure function of those two strings,
/// so that it can be tested without a CockroachDB server. The store's guard
/// (<see cref="CockroachGuard"/>) passes the server_version startup parameter as the version text,
/// so that the check costs no query.
/// </summary>
public static partial class CockroachDetector
{
    /// <summary>The startup parameter (ParameterStatus) that only CockroachDB reports.</summary>
    public const string ParameterName = "crdb_version";

    /// <summary>
    /// True when the server is CockroachDB: it reported a non-empty <c>crdb_version</c> parameter,
    /// or its version text (<c>version()</c> or server_version) starts with "CockroachDB". PostgreSQL, and PostgreSQL-based
    /// systems (Citus, managed PostgreSQL services), report neither.
    /// </summary>
    public static bool IsCockroach(string? versionText, string? crdbVersionParameter) =>
        !string.IsNullOrWhiteSpace(crdbVersionParameter) || StartsWithCockroach(versionText);

    /// <summary>
    /// The CockroachDB release ("v23.1.11") named by the parameter or the version text, or null
    /// when neither names one (or the server is not CockroachDB).
    /// </summary>
    public static string? Release(string? versionText, string? crdbVersionParameter)
    {
        if (!IsCockroach(versionText, crdbVersionParameter))
        {
            return null;
        }

        foreach (var text in new[] { crdbVersionParameter, versionText })
        {
            if (text is not null && ReleasePattern().Match(text) is { Success: true } match)
            {
                return match.Value;
            }
        }

        return null;
    }

    private static bool StartsWithCockroach(string? versionText) =>
        versionText is not null && versionText.TrimStart().StartsWith("CockroachDB", StringComparison.OrdinalIgnoreCase);

    // "CockroachDB CCL v23.1.11 (x86_64-pc-linux-gnu, ...)": the first vMAJOR.MINOR[.PATCH][-suffix].
    [GeneratedRegex(@"\bv\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?")]
    private static partial Regex ReleasePattern();
}
