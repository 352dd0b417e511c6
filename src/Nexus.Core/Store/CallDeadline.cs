namespace Nexus.Core.Store;

/// <summary>
/// The module's own bound on a PostgreSQL call to a server that stopped answering (hung, stopped,
/// cut off): the caller gets a Timeout error once the call has heard nothing for -CommandTimeout
/// plus <see cref="GraceMilliseconds"/> (while it opens a connection, a longer -ConnectTimeout plus
/// that), however long Npgsql's cancel request would take.
/// </summary>
/// <remarks>
/// Npgsql alone does not bound this: when a command times out it first sends the server a cancel
/// request over a new connection, which waits up to the connect timeout (twice with SSL Mode
/// Prefer), before it breaks the connection; a CancellationToken goes through the same cancel
/// request, and no public setting skips it. So the call runs on its own thread and the caller
/// waits for it at most that long. An abandoned call finishes later on its own (its command times
/// out and Npgsql breaks the connection, or the server resumes); it never commits after the caller
/// was told Timeout (<see cref="BeginCommit"/>) and never retries, and its connection goes back to
/// the pool rolled back or broken (a broken one is discarded). "Heard nothing" is measured from the
/// last sign of progress (a new command, a record read), so a long call on a server that answers
/// is not cut off. Until it ends, an abandoned call keeps its thread and its pool slot: at most
/// -CommandTimeout plus the cancel request's wait. Not chosen: a 1 s default connect timeout
/// (slow servers could not connect at all), and reaching into Npgsql's internals.
/// </remarks>
internal sealed class CallDeadline
{
    /// <summary>How much longer than -CommandTimeout a silent call may take before it is abandoned.</summary>
    public const int GraceMilliseconds = 2000;

    [ThreadStatic]
    private static CallDeadline? t_current;

    private readonly object _gate = new();
    private readonly long _commandMilliseconds;
    private readonly long _connectMilliseconds;
    private long _silenceMilliseconds;
    private long _lastProgress = long.MaxValue;   // not started yet: the clock starts on the worker thread
    private bool _committing;
    private bool _abandoned;

    private CallDeadline(int commandTimeoutSeconds, int connectTimeoutSeconds)
    {
        _commandMilliseconds = commandTimeoutSeconds * 1000L + GraceMilliseconds;
        _connectMilliseconds = Math.Max(commandTimeoutSeconds, connectTimeoutSeconds) * 1000L + GraceMilliseconds;
        _silenceMilliseconds = _commandMilliseconds;
    }

    /// <summary>Notes that the call on this thread heard from the server (a no-op outside a deadline).</summary>
    public static void MarkProgress()
    {
        if (t_current is { } deadline)
        {
            Volatile.Write(ref deadline._lastProgress, Environment.TickCount64);
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> under a deadline of <paramref name="commandTimeout"/> seconds
    /// (<paramref name="connectTimeout"/> while it connects); inline when the timeout is 0 or a
    /// deadline runs already. On expiry throws what <paramref name="timedOut"/> makes of the timeout
    /// (its flag: the call had begun to commit, so its outcome is unknown);
    /// <paramref name="discard"/> then disposes what the abandoned call returns when it finishes.
    /// </summary>
    public static T Run<T>(int commandTimeout, int connectTimeout, Func<bool, TimeoutException, Exception> timedOut,
        Func<CallDeadline?, T> call, Action<T>? discard = null)
    {
        if (commandTimeout <= 0 || t_current is not null)
        {
            return call(null);
        }

        var deadline = new CallDeadline(commandTimeout, connectTimeout);
        // A thread of its own: waiting on a pool thread from a pool thread (Set-NexusMetadata writes
        // its batches on pool threads) could stall exactly when a hung server holds them all.
        var task = Task.Factory.StartNew(() =>
        {
            t_current = deadline;
            MarkProgress();
            try
            {
                return call(deadline);
            }
            finally
            {
                t_current = null;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The wait handle, not task.Wait: that would throw the call's own error wrapped in an AggregateException.
        var finished = ((IAsyncResult)task).AsyncWaitHandle;
        while (!finished.WaitOne(deadline.NextCheck()))
        {
            if (deadline.TryAbandon(out var committing))
            {
                Abandon(task, discard);
                throw timedOut(committing, new TimeoutException(deadline.Silence()));
            }
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Throws (to end the abandoned call quietly) if the caller has given up; else marks progress.</summary>
    public void ThrowIfAbandoned()
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("The caller stopped waiting for this call.");
            }

            _committing = false;
        }

        MarkProgress();
    }

    /// <summary>
    /// Opens a connection under the connect timeout rather than the command timeout, when
    /// -ConnectTimeout is the longer (Npgsql bounds a new connection itself, without a cancel request).
    /// </summary>
    public T WhileConnecting<T>(Func<T> open)
    {
        Volatile.Write(ref _silenceMilliseconds, _connectMilliseconds);
        try
        {
            return open();
        }
        finally
        {
            MarkProgress();
            Volatile.Write(ref _silenceMilliseconds, _commandMilliseconds);
        }
    }

    /// <summary>Called just before COMMIT: throws if the caller has given up (so nothing commits after a Timeout).</summary>
    public void BeginCommit()
    {
        lock (_gate)
        {
            if (_abandoned)
            {
                throw new OperationCanceledException("The caller stopped waiting for this call; not committing.");
            }

            _committing = true;
        }
    }

    private TimeSpan NextCheck()
    {
        var last = Volatile.Read(ref _lastProgress);
        var silence = Volatile.Read(ref _silenceMilliseconds);
        var left = last == long.MaxValue ? silence : last + silence - Environment.TickCount64;
        return TimeSpan.FromMilliseconds(Math.Clamp(left, 1, silence));
    }

    private bool TryAbandon(out bool committing)
    {
        lock (_gate)
        {
            var last = Volatile.Read(ref _lastProgress);
            committing = _committing;
            if (last == long.MaxValue || Environment.TickCount64 - last < Volatile.Read(ref _silenceMilliseconds))
            {
                return false;
            }

            _abandoned = true;
            return true;
        }
    }

    private string Silence() =>
        $"no answer for {Volatile.Read(ref _silenceMilliseconds) / 1000.0:0.#} s, -CommandTimeout (or a longer -ConnectTimeout) plus {GraceMilliseconds / 1000} s; the call was abandoned";

    // The abandoned call's error is observed (no unobserved-task noise) and what it opened is disposed.
    private static void Abandon<T>(Task<T> task, Action<T>? discard) =>
        task.ContinueWith(
            finished =>
            {
                if (finished.IsFaulted)
                {
                    _ = finished.Exception;
                }
                else if (finished.IsCompletedSuccessfully)
                {
                    discard?.Invoke(finished.Result);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
