using System.Management.Automation;
using System.Text;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// PowerShell wildcards over virtual paths: case-sensitive (paths are), with the literal text
/// before the first wildcard used as a prefix so the database range-scans instead of reading all.
/// </summary>
internal sealed class WildcardPath
{
    private readonly WildcardPattern _pattern;
    private readonly string _text;

    private WildcardPath(string pattern)
    {
        _pattern = new WildcardPattern(pattern, WildcardOptions.None);
        _text = pattern;
        Prefix = LiteralPrefix(pattern);
    }

    /// <summary>The literal start of the pattern if it is a path start, else "/".</summary>
    public string Prefix { get; }

    /// <summary>A matcher when <paramref name="path"/> has wildcard characters or escapes (`), else null.</summary>
    public static WildcardPath? TryCreate(string path) =>
        WildcardPattern.ContainsWildcardCharacters(path) || path.Contains('`') ? new WildcardPath(path) : null;

    public bool IsMatch(string path) => _pattern.IsMatch(path);

    /// <summary>
    /// The records of one tenant this pattern names, streamed: the record whose path is the
    /// pattern's text itself when there is one (a real path may hold wildcard characters, such
    /// as /a[1].txt), else every record under <see cref="Prefix"/> that matches, in byte-wise order.
    /// </summary>
    public IEnumerable<FileRecord> Matches(MetadataStore records, string tenant, bool includeDeleted, CancellationToken stop)
    {
        if (PathRules.Problem(_text, isPrefix: false) is null && records.Get(tenant, _text, includeDeleted) is { } literal)
        {
            yield return literal;
            yield break;
        }

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
