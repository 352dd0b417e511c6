using System.Management.Automation;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// The base of Get-, Test- and Remove-NexusMetadata: names records the way Remove-Item and
/// Test-Path name items. -Path is always a wildcard pattern (a backtick escapes), -LiteralPath
/// (-LP) is always exact, and piped FileRecord objects bind to -InputObject and name exactly
/// themselves (path and tenant), never a pattern.
/// </summary>
public abstract class NexusPathCmdlet : NexusFileCmdlet
{
    /// <summary>The parameter set of -Path.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of -LiteralPath.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>The parameter set of piped records.</summary>
    protected const string InputObjectSet = "InputObject";

    /// <summary>
    /// Virtual paths, each a wildcard pattern (*, ?, [a-c]; case-sensitive). Escape a wildcard
    /// character with a backtick ('/a`[1`].txt', or [WildcardPattern]::Escape) or use -LiteralPath.
    /// Piped strings and objects with a Path property bind here.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("VirtualPath")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(PathCompleter))]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Virtual paths taken exactly as written: no character is a wildcard or an escape.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("LP")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>File records (from Get-NexusMetadata), each naming exactly itself: its path in its tenant.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public FileRecord[] InputObject { get; set; } = Array.Empty<FileRecord>();

    /// <summary>
    /// What the current pipeline item names. A bad tenant or a pattern PowerShell cannot parse is
    /// an item error (written here) and names nothing; exact paths are checked by the caller.
    /// </summary>
    internal IEnumerable<PathTarget> Targets()
    {
        if (ParameterSetName == InputObjectSet)
        {
            foreach (var record in InputObject)
            {
                string? tenant = null;
                if (record is not null && Attempt(() => tenant = Tenants.Validate(record.Tenant), record.Path))
                {
                    yield return new(tenant!, record.Path, null);
                }
            }

            yield break;
        }

        var checkedTenant = CheckedTenant();
        if (checkedTenant is null)
        {
            yield break;
        }

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            if (StopToken.IsCancellationRequested)
            {
                yield break;
            }

            WildcardPath? pattern = null;
            if (literal)
            {
                yield return new(checkedTenant, path, null);
            }
            else if (Attempt(() => pattern = WildcardPath.TryCreate(path), path))
            {
                yield return new(checkedTenant, pattern is null ? WildcardPath.Unescape(path) : path, pattern);
            }
        }
    }

    /// <summary>
    /// Checks an exact path: -Path must follow the module's path rules; -LiteralPath and piped
    /// records name a record exactly as it is stored, normalized or not (the original system's
    /// '/a//b' or 'a/b' included).
    /// </summary>
    internal string CheckExact(string path) =>
        ParameterSetName == PathSet ? PathRules.Validate(path) : PathRules.ValidateLiteral(path);

    /// <summary>
    /// Sorts what the current pipeline item names, for a cmdlet that batches exact paths: a
    /// malformed path is an InvalidArgument error naming it; a good exact path is queued when
    /// <paramref name="accept"/> agrees (ShouldProcess, for removals); a pattern first writes what
    /// is queued, then goes to <paramref name="pattern"/>.
    /// </summary>
    internal void QueueTargets(TenantPathBatch queue, Func<string, bool> accept, Action<PathTarget> pattern)
    {
        foreach (var target in Targets())
        {
            queue.UseTenant(target.Tenant);
            if (target.Pattern is not null)
            {
                queue.Flush();
                pattern(target);
            }
            else if (Attempt(() => CheckExact(target.Path), target.Path) && accept(target.Path))
            {
                queue.Add(target.Path);
            }
        }
    }
}
