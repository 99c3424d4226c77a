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
    private readonly SemaphoreSlim _pump = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _checkpointGate = new();
    private FeedPosition _checkpoint;
    private Task? _loop;

    protected FeedFollower(IEventStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the follower stands: every change up to here has been applied.</summary>
    public FeedPosition Checkpoint
    {
        get
        {
            lock (_checkpointGate)
            {
                return _checkpoint;
            }
        }
    }

    /// <summary>Applies every change the store held when called; returns at once when there is none to apply.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask CatchUpAsync(CancellationToken cancellationToken)
    {
        var head = await _store.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        if (!Checkpoint.Reached(head))
        {
            await PumpAsync(head, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies at least every change up to the append at <paramref name="position"/>; returns at once when it has been.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask CatchUpAsync(long position, CancellationToken cancellationToken) =>
        Checkpoint.Appended >= position ? ValueTask.CompletedTask : new ValueTask(PumpAsync(new FeedPosition(position, 0), cancellationToken));

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
        _pump.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts following from <paramref name="from"/>: the first change applied is the one after it.</summary>
    protected void Start(FeedPosition from)
    {
        _checkpoint = from;
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
                await PumpAsync(until: null, stopping).ConfigureAwait(false);
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

    private async Task PumpAsync(FeedPosition? until, CancellationToken cancellationToken)
    {
        await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (until is not { } target || !_checkpoint.Reached(target))
            {
                var page = await _store.ReadAsync(_checkpoint, PageSize, cancellationToken).ConfigureAwait(false);
                if (page.Changes.Count == 0 && page.Next == _checkpoint)
                {
                    return;
                }

                Apply(page.Changes);
                lock (_checkpointGate)
                {
                    _checkpoint = page.Next;
                }
            }
        }
        finally
        {
            _pump.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Follower} could not read the store's change feed; retrying in a second.")]
    private static partial void LogFollowFailed(ILogger logger, string follower, Exception exception);
}
