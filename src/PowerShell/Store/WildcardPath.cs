using System.Management.Automation;
using System.Text;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// PowerShell wildcards over virtual paths, as -Path of Remove-Item and Test-Path: always a
/// pattern (escape *, ?, [ and ] with a backtick), never "the literal record if there is one".
/// Case-sensitive (paths are), with the literal text before the first wildcard used as a prefix
/// so the database range-scans instead of reading all.
/// </summary>
internal sealed class WildcardPath
{
    private readonly WildcardPattern _pattern;

    private WildcardPath(string pattern)
    {
        _pattern = new WildcardPattern(pattern, WildcardOptions.None);
        Prefix = LiteralPrefix(pattern);
    }

    /// <summary>The literal start of the pattern if it is a path start, else "/".</summary>
    public string Prefix { get; }

    /// <summary>
    /// A matcher when <paramref name="path"/> has wildcard characters that are not escaped, else
    /// null: the path then names one record, <see cref="Unescape"/>d. A pattern PowerShell cannot
    /// parse (an unclosed '[') is an InvalidArgument error.
    /// </summary>
    public static WildcardPath? TryCreate(string path)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(path))
        {
            return null;
        }

        var wildcard = new WildcardPath(path);
        try
        {
            wildcard.IsMatch("/"); // parses the pattern now, not halfway through a listing
        }
        catch (WildcardPatternException e)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"{e.Message.TrimEnd('.')}.",
                path, hint: "-Path takes wildcards: escape '[', ']', '*' and '?' with a backtick (`[), or give the exact path with -LiteralPath.");
        }

        return wildcard;
    }

    /// <summary>The exact path a -Path without wildcards names: backtick escapes removed, as PowerShell does.</summary>
    public static string Unescape(string path) => WildcardPattern.Unescape(path);

    public bool IsMatch(string path) => _pattern.IsMatch(path);

    /// <summary>The records of one tenant under <see cref="Prefix"/> that match, streamed in byte-wise order.</summary>
    public IEnumerable<FileRecord> Matches(MetadataStore records, string tenant, bool includeDeleted, CancellationToken stop)
    {
        foreach (var record in records.List(new FileQuery { Tenant = tenant, Prefix = Prefix, IncludeDeleted = includeDeleted }))
        {
            if (stop.IsCancellationRequested)
            {
                yield break;
            }

            if (IsMatch(record.Path))
            {
                yield return record;
            }
        }
    }

    private static string LiteralPrefix(string pattern)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '`' && i + 1 < pattern.Length)
            {
                builder.Append(pattern[++i]);
                continue;
            }

            if (c is '*' or '?' or '[')
            {
                break;
            }

            builder.Append(c);
        }

        var prefix = builder.ToString();
        return prefix.StartsWith('/') ? prefix : "/";
    }
}
