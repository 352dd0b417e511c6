using System.Management.Automation;

namespace Nexus.PowerShell;

/// <summary>
/// The one cancellation source of every Nexus cmdlet: StopProcessing (Ctrl+C, a downstream
/// Select-Object -First) trips it, and long work (batches, transfers, migrations, health checks)
/// watches <see cref="StopToken"/> so that it stops between steps, never halfway through one.
/// </summary>
public abstract partial class NexusCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Tripped by StopProcessing.</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();
}
