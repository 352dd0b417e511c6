using Nexus.Core.Store;

namespace Nexus.PowerShell;

/// <summary>
/// Piped literal paths gathered for batched lookups or removals, one tenant per batch: switching
/// to another tenant first writes what the previous one has queued.
/// </summary>
internal sealed class TenantPathBatch
{
    private readonly PipelineBatch<string> _paths;

    /// <param name="size">Paths per batch.</param>
    /// <param name="stop">The cmdlet's stop token (see <see cref="PipelineBatch{T}"/>).</param>
    /// <param name="write">Writes one batch: the tenant and its paths (on the pipeline thread).</param>
    public TenantPathBatch(int size, CancellationToken stop, Action<string, string[]> write) =>
        _paths = new(size, stop, paths => write(Tenant, paths));

    /// <summary>The tenant whose paths are being queued.</summary>
    public string Tenant { get; private set; } = Tenants.Default;

    /// <summary>Queues for <paramref name="tenant"/> from now on, writing another tenant's paths first.</summary>
    public void UseTenant(string tenant)
    {
        if (tenant != Tenant)
        {
            _paths.Flush();
            Tenant = tenant;
        }
    }

    public void Add(string path) => _paths.Add(path);

    public void Flush() => _paths.Flush();
}
