using System.Diagnostics.Metrics;

namespace EventTracker.Client;

/// <summary>
/// What became of the tracked events — sent, failed, dropped — counted and published on the <c>EventTracker.Client</c>
/// meter, and the flushes waiting for the events accepted before them to be done with, one way or the other.
/// </summary>
internal sealed class DeliveryCounters
{
    private readonly Counter<long> _sentCounter;
    private readonly Counter<long> _droppedCounter;
    private readonly Counter<long> _failedCounter;

    private readonly Lock _flushLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private long _accepted;
    private long _finished;
    private long _dropped;
    private long _sent;
    private long _failed;

    /// <param name="meter">Where the counts are published.</param>
    public DeliveryCounters(Meter meter)
    {
        _sentCounter = meter.CreateCounter<long>("eventtracker.client.events.sent", "{event}", "Events the server stored.");
        _droppedCounter = meter.CreateCounter<long>("eventtracker.client.events.dropped", "{event}", "Events dropped because the queue was full or the tracker stopped.");
        _failedCounter = meter.CreateCounter<long>("eventtracker.client.events.failed", "{event}", "Events given up after failed sends.");
    }

    public long DroppedCount => Interlocked.Read(ref _dropped);

    public long SentCount => Interlocked.Read(ref _sent);

    public long FailedCount => Interlocked.Read(ref _failed);

    public bool FlushRequested
    {
        get
        {
            lock (_flushLock)
            {
                return _flushWaiters.Count > 0;
            }
        }
    }

    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    /// <param name="count">How many.</param>
    /// <param name="wereAccepted">Whether they had been accepted into the queue (and a flush may be waiting for them).</param>
    public void CountDropped(long count, bool wereAccepted)
    {
        Interlocked.Add(ref _dropped, count);
        _droppedCounter.Add(count);
        if (wereAccepted)
        {
            Interlocked.Add(ref _finished, count);
        }
    }

    public void CountSent(int count)
    {
        Interlocked.Add(ref _sent, count);
        _sentCounter.Add(count);
        Interlocked.Add(ref _finished, count);
    }

    public void CountFailed(int count)
    {
        Interlocked.Add(ref _failed, count);
        _failedCounter.Add(count);
        Interlocked.Add(ref _finished, count);
    }

    /// <summary>A flush: done when every event accepted before it is finished, or the queue is drained for good.</summary>
    public Task FlushAsync(Func<bool> drained, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushLock)
        {
            _flushWaiters.Add((Interlocked.Read(ref _accepted), done));
        }

        CompleteFlushes(drained());
        return done.Task.WaitAsync(cancellationToken);
    }

    public void CompleteFlushes(bool drained)
    {
        var finished = Interlocked.Read(ref _finished);
        lock (_flushLock)
        {
            _flushWaiters.RemoveAll(waiter =>
            {
                if (waiter.Target > finished && !drained)
                {
                    return false;
                }

                waiter.Done.TrySetResult();
                return true;
            });
        }
    }
}
