using System.Collections;
using System.Management.Automation;
using Nexus.Core.Engines;
using Nexus.Core.Store;
using Nexus.PowerShell.Completion;

namespace Nexus.PowerShell;

/// <summary>
/// <para type="synopsis">Gets file records by path (-Path takes wildcards, -LiteralPath is exact), by prefix in byte-wise order, or by attribute values.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NexusMetadata", DefaultParameterSetName = PrefixSet, SupportsPaging = true)]
[OutputType(typeof(FileRecord))]
public sealed class GetNexusMetadataCommand : NexusPathCmdlet
{
    private const string PrefixSet = "Prefix";

    private TenantPathBatch? _pending;
    private MetadataStore? _records;
    private ulong _skipped;
    private ulong _emitted;

    /// <summary>Lists every record whose path starts with this text (default '/': all), in byte-wise order.</summary>
    [Parameter(ParameterSetName = PrefixSet)]
    [ArgumentCompleter(typeof(LiteralPathCompleter))]
    public string Prefix { get; set; } = "/";

    /// <summary>Only records whose attributes contain these values (@{ key = value }).</summary>
    [Parameter(ParameterSetName = PrefixSet)]
    public Hashtable? Attribute { get; set; }

    /// <summary>Also returns soft-deleted records.</summary>
    [Parameter]
    public SwitchParameter IncludeDeleted { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _records = Engine(store => new MetadataStore(store));
        // Lookups only read: no stop guard is needed, so the batch is not tied to the stop token.
        _pending = new(MetadataStore.BatchSize, CancellationToken.None, Lookup);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == PrefixSet)
        {
            ListPrefix();
            return;
        }

        QueueTargets(_pending!, accept: _ => true, pattern: ListPattern);
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _pending!.Flush();

    private void Lookup(string tenant, string[] paths)
    {
        IReadOnlyDictionary<string, FileRecord>? found = null;
        if (!Attempt(() => found = _records!.Lookup(tenant, paths, IncludeDeleted), null))
        {
            return;
        }

        foreach (var path in paths)
        {
            if (found!.TryGetValue(path, out var record))
            {
                Emit(record);
            }
            else
            {
                WriteItemError(StoreErrors.NoRecord(tenant, path, IncludeDeleted), path);
            }
        }
    }

    private void ListPattern(PathTarget target)
    {
        Attempt(() =>
        {
            foreach (var record in target.Pattern!.Matches(_records!, target.Tenant, IncludeDeleted, StopToken))
            {
                Emit(record);
            }
        }, target.Path);
    }

    private void ListPrefix()
    {
        // -Tenant * lists every tenant's records (stores adopted from the original hold one tenant per record).
        var tenant = Tenant == Tenants.All ? Tenants.All : CheckedTenant();
        if (tenant is null || !Attempt(() => PathRules.ValidatePrefix(Prefix), Prefix))
        {
            return;
        }

        var attributes = new List<KeyValuePair<string, string>>();
        if (Attribute is not null && !Attempt(() => attributes.AddRange(AttributeJsonWriter.ToAttributes(Attribute)), null))
        {
            return;
        }

        var query = new FileQuery
        {
            Tenant = tenant,
            Prefix = Prefix,
            IncludeDeleted = IncludeDeleted,
            Attributes = attributes,
            Skip = (long)Math.Min(PagingParameters.Skip, long.MaxValue),
            Take = PagingParameters.First == ulong.MaxValue ? null : (long)Math.Min(PagingParameters.First, long.MaxValue),
        };
        Attempt(() =>
        {
            if (PagingParameters.IncludeTotalCount)
            {
                WriteObject(PagingParameters.NewTotalCount((ulong)_records!.Count(query), 1.0));
            }

            foreach (var record in _records!.List(query))
            {
                if (StopToken.IsCancellationRequested)
                {
                    return;
                }

                WriteObject(query.AllTenants ? WithTenantView(record) : record);
            }
        }, Prefix);
    }

    /// <summary>A record listed across tenants: its table view shows the Tenant column.</summary>
    private static PSObject WithTenantView(FileRecord record)
    {
        var shown = PSObject.AsPSObject(record);
        shown.TypeNames.Insert(0, TenantViewTypeName);
        return shown;
    }

    /// <summary>The type name the format file's tenant view is selected by.</summary>
    internal const string TenantViewTypeName = "Nexus.Core.Store.FileRecord#AllTenants";

    // Paging for path lookups (listings page in SQL).
    private void Emit(FileRecord record)
    {
        if (_skipped < PagingParameters.Skip)
        {
            _skipped++;
            return;
        }

        if (_emitted >= PagingParameters.First)
        {
            return;
        }

        _emitted++;
        WriteObject(record);
    }
}
