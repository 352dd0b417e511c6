using Nexus.Core.Dialects;
using Nexus.Core.Store;

namespace Nexus.Core.Engines;

/// <summary>
/// The retry budget of one store call: a transaction the server ended to break a deadlock (or a
/// serialization conflict) runs again up to <see cref="MaxConflictAttempts"/> times in all, after
/// a jittered exponential pause, and a dead pooled connection is replaced once. Each retry is
/// reported through the store access's log (a cmdlet's -Verbose).
/// </summary>
internal sealed class StoreRetries
{
    /// <summary>How many times a transaction runs at most while the server keeps ending it for conflicts.</summary>
    public const int MaxConflictAttempts = 6;

    private const int FirstPauseMilliseconds = 50;

    private readonly StoreAccess _access;
    private readonly object? _target;
    private int _conflicts;
    private bool _reconnected;
    private bool _relaid;

    public StoreRetries(StoreAccess access, object? target)
    {
        _access = access;
        _target = target;
    }

    /// <summary>True (after pausing, if need be) when the call should run again after <paramref name="error"/>.</summary>
    public bool ShouldRetry(Exception error)
    {
        switch (_access.Dialect.Classify(error))
        {
            case WriteFailure.Conflict when ++_conflicts < MaxConflictAttempts:
                // 50, 100, 200, 400, 800 ms, each between half and one and a half times that, so
                // that the sessions that collided do not collide again in step.
                var pause = (int)(FirstPauseMilliseconds * (1 << (_conflicts - 1)) * (0.5 + Random.Shared.NextDouble()));
                _access.Log?.Invoke(
                    $"{_access.Store.Database}: the server rolled back {StoreAccess.Describe(_target)} to break a conflict with another writer ({Reason(error)}); running it again in {pause} ms (attempt {_conflicts + 1} of {MaxConflictAttempts}).");
                Thread.Sleep(pause);
                return true;

            case WriteFailure.BrokenConnection when !_reconnected:
                _reconnected = true;
                _access.Store.Primary.ClearPool();
                _access.Log?.Invoke(
                    $"{_access.Store.Database}: the pooled connection was dead ({Reason(error)}), probably after a server restart; running {StoreAccess.Describe(_target)} again on a new connection.");
                return true;

            case WriteFailure.LayoutChanged when !_relaid:
                _relaid = true;
                if (!_access.FollowLayout())
                {
                    return false;
                }

                _access.Log?.Invoke(
                    $"{_access.Store.Database}: its tables did not fit the statements of {StoreAccess.Describe(_target)} ({Reason(error)}); its layout is {_access.Store.Layout} now (converted by another session?), so it runs again with the statements of that layout.");
                return true;

            default:
                return false;
        }
    }

    // The driver's own words, first line only (a server error's detail can run long).
    private static string Reason(Exception error) =>
        (error.InnerException ?? error).Message.Split('\n', 2)[0].Trim();
}
