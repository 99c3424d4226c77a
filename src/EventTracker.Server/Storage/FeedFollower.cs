namespace EventTracker.Server.Storage;

/// <summary>
/// Something derived from the events (a projection, the live broadcast) that follows a store's change feed from a
/// checkpoint of its own, as Marten's async daemon follows its event feed: a background loop waits for changes and
/// applies them page by page, in order, outside the store's locks. A reader that must see everything stored before it
/// asked calls <see cref="CatchUpAsync(CancellationToken)"/> first. A follower never reads a change twice or skips one.
/// </summary>
internal abstract partial class FeedFollower : IDisposable
{
    /// <summary>Changes read at once: enough to keep up with a busy store in few reads, few enough to apply quickly.</summary>
    public const int PageSize = 4096;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly IEventStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    // Read by every request that waits for its append, so neither is behind a lock: the checkpoint and the signal of
    // its next move are swapped together as one object, and the pump is one flag.
    private Progress _progress = new(default);
    private int _pumping;
    private Task? _loop;

    protected FeedFollower(IEventStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the follower stands: every change up to here has been applied.</summary>
    public FeedPosition Checkpoint => Volatile.Read(ref _progress).Checkpoint;

    /// <summary>Applies every change the store held when called; returns at once when there is none to apply.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask CatchUpAsync(CancellationToken cancellationToken)
    {
        var head = await _store.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        if (!Checkpoint.Reached(head))
        {
            await CatchUpToAsync(head, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies at least every change up to the append at <paramref name="position"/>; returns at once when it has been.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask CatchUpAsync(long position, CancellationToken cancellationToken) =>
        Checkpoint.Appended >= position ? ValueTask.CompletedTask : new ValueTask(CatchUpToAsync(new FeedPosition(position, 0), cancellationToken));

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; nothing else is left to report.
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts following from <paramref name="from"/>: the first change applied is the one after it.</summary>
    protected void Start(FeedPosition from)
    {
        _progress = new Progress(from);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Applies changes in the order they happened. Called by one caller at a time.</summary>
    protected abstract void Apply(IReadOnlyList<StoreChange> changes);

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _store.WaitForChangesAsync(Checkpoint, stopping).ConfigureAwait(false);
                var moved = Volatile.Read(ref _progress).Moved;
                if (TryTakePump())
                {
                    await PumpHeldAsync(until: null, stopping).ConfigureAwait(false);
                }
                else
                {
                    await moved.WaitAsync(stopping).ConfigureAwait(false); // then look for changes again
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The store is unreachable (a database restarting): try again shortly from the same checkpoint.
                LogFollowFailed(_logger, GetType().Name, exception);
                try
                {
                    await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Returns once the checkpoint reaches <paramref name="target"/>. Callers do not queue for the pump one by one (64
    /// concurrent requests each taking a turn to find their event already applied is a convoy): whoever finds the pump
    /// free applies pages (each holding whatever else was stored meanwhile) until its own change, and the others wait
    /// for the checkpoint to move, then look again.
    /// </summary>
    private async Task CatchUpToAsync(FeedPosition target, CancellationToken cancellationToken)
    {
        while (true)
        {
            var progress = Volatile.Read(ref _progress);
            if (progress.Checkpoint.Reached(target))
            {
                return;
            }

            if (TryTakePump())
            {
                // Reached, or the feed has nothing more to give yet (PostgreSQL holds back a position behind one that
                // commits late): either way, as before, the caller goes on rather than asking the store again and again.
                await PumpHeldAsync(target, cancellationToken).ConfigureAwait(false);
                return;
            }
            else
            {
                await progress.Moved.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private bool TryTakePump() => Interlocked.CompareExchange(ref _pumping, 1, 0) == 0;

    /// <summary>
    /// Applies pages until the checkpoint reaches <paramref name="until"/> (a caller's own change: under steady ingestion
    /// the head moves on for ever) or, when null, the store's head; with the pump taken; gives it back.
    /// </summary>
    private async Task PumpHeldAsync(FeedPosition? until, CancellationToken cancellationToken)
    {
        try
        {
            while (until is not { } target || !Checkpoint.Reached(target))
            {
                var checkpoint = Checkpoint;
                var page = await _store.ReadAsync(checkpoint, PageSize, cancellationToken).ConfigureAwait(false);
                if (page.Changes.Count == 0 && page.Next == checkpoint)
                {
                    return;
                }

                Apply(page.Changes);
                Move(_ => page.Next);
            }
        }
        finally
        {
            Volatile.Write(ref _pumping, 0);
            Move(checkpoint => checkpoint); // a waiter whose change the pump did not reach takes the pump itself
        }
    }

    /// <summary>Sets the checkpoint and wakes whoever waits for it to move (the pump's holder and its release race: hence the swap).</summary>
    private void Move(Func<FeedPosition, FeedPosition> next)
    {
        Progress current, moved;
        do
        {
            current = Volatile.Read(ref _progress);
            moved = new Progress(next(current.Checkpoint));
        }
        while (Interlocked.CompareExchange(ref _progress, moved, current) != current);

        current.Signal.TrySetResult();
    }

    /// <summary>A checkpoint, and the signal that it has moved on.</summary>
    private sealed class Progress(FeedPosition checkpoint)
    {
        public FeedPosition Checkpoint { get; } = checkpoint;

        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Moved => Signal.Task;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Follower} could not read the store's change feed; retrying in a second.")]
    private static partial void LogFollowFailed(ILogger logger, string follower, Exception exception);
}
