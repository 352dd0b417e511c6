using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Soft-deletes file records (sets DeletedAt), or with -Purge removes them and their attributes for good.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "NexusMetadata", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileRecord))]
public sealed class RemoveNexusMetadataCommand : NexusPathCmdlet
{
    private const string ProgressActivity = "Removing Nexus file records";
    private TenantPathBatch? _pending;
    private MetadataStore? _records;
    private bool _yesToAllMatches;
    private bool _noToAllMatches;

    /// <summary>Removes the rows and their attributes for good (soft-deleted ones too). High impact.</summary>
    [Parameter]
    public SwitchParameter Purge { get; set; }

    /// <summary>
    /// Removes every record a wildcard matches without the extra question a pattern that matches
    /// more than one record asks (-Purge still asks as a high-impact action unless -Confirm:$false).
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Emits each removed record.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private string Action => Purge ? "Purge file record and its attributes" : "Soft-delete file record";

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _records = Engine(store => new MetadataStore(store));
        _pending = new(MetadataStore.BatchSize, StopToken, Write);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        QueueTargets(
            _pending!,
            accept: path => Purge ? ShouldProcessHighImpact(path, Action) : ShouldProcess(path, Action),
            pattern: RemovePattern);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _pending!.Flush();
        EndBulkProgress(ProgressActivity);
    }

    private void RemovePattern(PathTarget target)
    {
        // Listed in full before anything is removed: the listing reads while the removal writes.
        List<string> matches = new();
        var ok = Attempt(() => matches = target.Pattern!.Matches(_records!, target.Tenant, includeDeleted: Purge, StopToken).Select(r => r.Path).ToList(), target.Path);
        if (!ok || matches.Count == 0)
        {
            return;
        }

        var answer = ConfirmMatches(target.Path, matches);
        if (answer == MatchesAnswer.No)
        {
            return;
        }

        foreach (var match in matches)
        {
            // After a yes to all the matches, each one is still a ShouldProcess (-WhatIf lists it)
            // but -Purge does not ask again for every record.
            var go = Purge && answer != MatchesAnswer.Yes ? ShouldProcessHighImpact(match, Action) : ShouldProcess(match, Action);
            if (go)
            {
                _pending!.Add(match);
            }
        }
    }

    /// <summary>
    /// A pattern that matches more than one record asks once before any of them is removed, even
    /// at the default $ConfirmPreference, as Remove-Item asks before removing a folder's contents:
    /// a retried or mistyped pattern must not remove records nobody named. -Force, -Confirm
    /// (either way) and -WhatIf do without the question.
    /// </summary>
    private MatchesAnswer ConfirmMatches(string pattern, List<string> matches)
    {
        var bound = MyInvocation.BoundParameters;
        if (matches.Count < 2 || Force || bound.ContainsKey("Confirm") || bound.ContainsKey("WhatIf"))
        {
            return MatchesAnswer.NotAsked;
        }

        var shown = string.Join(", ", matches.Take(3).Select(m => $"'{m}'")) + (matches.Count > 3 ? ", …" : string.Empty);
        var verb = Purge ? "Purge (for good, with their attributes)" : "Soft-delete";
        var query = $"The wildcard path '{pattern}' matches {matches.Count} records: {shown}. {verb} all {matches.Count}? (-Force or -Confirm:$false skips this question; -LiteralPath names one record exactly.)";
        return ShouldContinue(query, "Confirm removing several records", ref _yesToAllMatches, ref _noToAllMatches)
            ? MatchesAnswer.Yes
            : MatchesAnswer.No;
    }

    private void Write(string tenant, string[] paths)
    {
        IReadOnlyDictionary<string, FileRecord>? removed = null;
        if (!Attempt(() => removed = _records!.Remove(tenant, paths, Purge, StopToken), null))
        {
            return;
        }

        foreach (var path in paths)
        {
            if (removed!.TryGetValue(path, out var record))
            {
                if (PassThru)
                {
                    WriteObject(record);
                }
            }
            else
            {
                WriteItemError(StoreErrors.NoRecord(tenant, path, deletedToo: Purge), path);
            }
        }

        BulkProgress(ProgressActivity, removed!.Count);
    }

    private enum MatchesAnswer
    {
        NotAsked,
        Yes,
        No,
    }
}
