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
}
