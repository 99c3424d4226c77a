using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Streams;

/// <summary>
/// One reader of the live stream. Messages wait in a bounded queue of its own; when the reader falls behind, the
/// oldest are dropped, counted, and reported to it in a <c>dropped</c> message before the next one it reads. All
/// readers together hold at most the broadcaster's total budget: past it, a reader holding more than its share loses
/// its oldest message for each new one. A drop and its count happen under one lock with the reader's take, so the
/// notice for a gap always comes before the first message after it.
/// </summary>
internal sealed class StreamSubscription : IDisposable
{
    private readonly Channel<BroadcastMessage> _queue;
    private readonly int _queueSize;
    private readonly Lock _gate = new();
    private readonly EventBroadcaster _owner;
    private EventFilter _filter;
    private long _dropped;
    private long _lastDroppedId;
    private int _unknownLoss; // 1 when messages were missed in a number nobody knows
    private long _queued;

    public StreamSubscription(EventBroadcaster owner, EventFilter filter, int queueSize)
    {
        _owner = owner;
        _filter = filter;
        _queueSize = queueSize;

        // Full is handled in Offer, where the drop is counted under the lock; the channel's own drop callback runs outside it.
        _queue = Channel.CreateBounded<BroadcastMessage>(new BoundedChannelOptions(queueSize) { FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Which events this reader receives; can be replaced while reading.</summary>
    public EventFilter Filter
    {
        get => Volatile.Read(ref _filter);
        set => _owner.ChangeFilter(this, value, filter => Volatile.Write(ref _filter, filter));
    }

    /// <summary>Queues <paramref name="message"/> if it is not an event or the event passes the filter. Never waits.</summary>
    public void Offer(BroadcastMessage message)
    {
        if (message.Event is not null && !Filter.Matches(message.Event))
        {
            return;
        }

        lock (_gate)
        {
            if ((_queue.Reader.Count >= _queueSize || _owner.OverBudget(Interlocked.Read(ref _queued))) && _queue.Reader.TryRead(out var oldest))
            {
                Dequeued();
                OnDropped(oldest);
            }

            if (_queue.Writer.TryWrite(message))
            {
                Interlocked.Increment(ref _queued);
                _owner.CountQueued(+1);
            }
        }
    }

    /// <summary>The messages for this reader, with a <c>dropped</c> notice wherever some were lost.</summary>
    public async IAsyncEnumerable<BroadcastMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            while (TryTake(out var message, out var notice))
            {
                if (notice is not null)
                {
                    yield return notice;
                }

                yield return message;
            }
        }
    }

    // The next message, and the notice of what was lost before it, taken together so no drop falls between them.
    private bool TryTake([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out BroadcastMessage message, out BroadcastMessage? notice)
    {
        lock (_gate)
        {
            notice = null;
            if (!_queue.Reader.TryRead(out message))
            {
                return false;
            }

            Dequeued();
            var dropped = Interlocked.Exchange(ref _dropped, 0);
            var unknownLoss = Interlocked.Exchange(ref _unknownLoss, 0) == 1;
            if (dropped > 0 || unknownLoss)
            {
                notice = DroppedNotice(dropped, Interlocked.Read(ref _lastDroppedId));
            }

            return true;
        }
    }

    /// <summary>Leaves the broadcaster and gives back what this reader still held.</summary>
    public void Dispose()
    {
        _owner.Unsubscribe(this);
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out _))
        {
            Dequeued();
        }
    }

    /// <summary>
    /// Reports messages that were never queued (they left the resume buffer before the reader came back); a
    /// <paramref name="count"/> of 0 means some were missed but their number is unknown.
    /// </summary>
    public void ReportMissed(long count, long lastMissedId)
    {
        lock (_gate)
        {
            Interlocked.Add(ref _dropped, count);
            Interlocked.Exchange(ref _lastDroppedId, lastMissedId);
            if (count == 0)
            {
                Interlocked.Exchange(ref _unknownLoss, 1);
            }
        }
    }

    private void Dequeued()
    {
        Interlocked.Decrement(ref _queued);
        _owner.CountQueued(-1);
    }

    private void OnDropped(BroadcastMessage message)
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Exchange(ref _lastDroppedId, message.Id);
        _owner.CountDropped();
    }

    private static BroadcastMessage DroppedNotice(long count, long lastMissedId) =>
        new(lastMissedId, Envelope.Serialize(
            StreamMessageTypes.Dropped,
            new DroppedNotice { Count = count, LastMissedId = lastMissedId },
            EventTrackerJsonContext.Default.DroppedNotice));
}
