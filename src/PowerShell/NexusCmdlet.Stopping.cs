using System.Management.Automation;

namespace Nexus.PowerShell;

/// <summary>
/// The one cancellation source of every Nexus cmdlet: StopProcessing (Ctrl+C, a downstream
/// Select-Object -First) trips it, and long work (batches, transfers, migrations, health checks)
/// watches <see cref="StopToken"/> so that it stops between steps, never halfway through one.
/// Disposed with the cmdlet (a wait on the token's WaitHandle holds an OS event until then).
/// </summary>
public abstract partial class NexusCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    // StopProcessing runs on PowerShell's stopping thread and may meet Dispose on the pipeline
    // thread: one lock keeps a Cancel and the Dispose apart, and a stop after the end is a no-op.
    private readonly object _stopGate = new();
    private bool _stopDisposed;

    /// <summary>Sets the token aside, so that reading it after the cmdlet is disposed does not throw.</summary>
    protected NexusCmdlet() => StopToken = _stop.Token;

    /// <summary>Tripped by StopProcessing.</summary>
    protected CancellationToken StopToken { get; }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        lock (_stopGate)
        {
            if (!_stopDisposed)
            {
                _stop.Cancel();
            }
        }
    }

    // Called by Dispose(bool).
    private void DisposeStopSource()
    {
        lock (_stopGate)
        {
            _stopDisposed = true;
            _stop.Dispose();
        }
    }
}
