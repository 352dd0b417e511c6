using System.Security.Cryptography;
using System.Text;

namespace Nexus.Core.Migrations;

/// <summary>
/// The checksum journaled for each script: SHA-256 over its UTF-8 text with line endings
/// normalized and any byte-order mark dropped, so a checkout with CRLF endings is not "drift".
/// </summary>
public static class ScriptChecksum
{
    public static string Compute(string script)
    {
        var normalized = script.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalized))).ToLowerInvariant();
    }

    /// <summary>True for 64 hex digits, the only shape <see cref="Compute"/> writes.</summary>
    public static bool IsWellFormed(string? checksum) =>
        checksum is { Length: 64 } && checksum.All(Uri.IsHexDigit);

    /// <summary>Checks a journaled script against the checksum journaled beside it.</summary>
    public static ChecksumState Verify(string script, string? journaled)
    {
        if (string.IsNullOrWhiteSpace(journaled))
        {
            return ChecksumState.Missing;
        }

        journaled = journaled.Trim();
        if (!IsWellFormed(journaled))
        {
            return ChecksumState.Malformed;
        }

        return string.Equals(Compute(script), journaled, StringComparison.OrdinalIgnoreCase) ? ChecksumState.Ok : ChecksumState.Mismatch;
    }

    /// <summary>A checksum for a message: its first 12 digits, or the whole (quoted) value when it is not a SHA-256.</summary>
    public static string Abbreviate(string? checksum) =>
        checksum is null ? "none" : IsWellFormed(checksum) ? checksum[..12] + "…" : $"'{(checksum.Length > 70 ? checksum[..70] + "…" : checksum)}'";
}
