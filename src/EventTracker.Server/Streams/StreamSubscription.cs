using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Streams;

/// <summary>
/// One reader of the live stream. Messages wait in a bounded queue of its own; when the reader falls behind, the
/// oldest are dropped, counted, and reported to it in a <c>dropped</c> message before the next one it reads.
/// </summary>
internal sealed class StreamSubscription : IDisposable
{
    private readonly Channel<BroadcastMessage> _queue;
    private readonly EventBroadcaster _owner;
    private EventFilter _filter;
    private long _dropped;
    private long _lastDroppedId;
    private int _unknownLoss; // 1 when messages were missed in a number nobody knows

    public StreamSubscription(EventBroadcaster owner, EventFilter filter, int queueSize)
    {
        _owner = owner;
        _filter = filter;
        _queue = Channel.CreateBounded<BroadcastMessage>(
            new BoundedChannelOptions(queueSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
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
        if (message.Event is null || Filter.Matches(message.Event))
        {
            _queue.Writer.TryWrite(message);
        }
    }

    /// <summary>The messages for this reader, with a <c>dropped</c> notice wherever some were lost.</summary>
    public async IAsyncEnumerable<BroadcastMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_queue.Reader.TryRead(out var message))
            {
                var dropped = Interlocked.Exchange(ref _dropped, 0);
                var unknownLoss = Interlocked.Exchange(ref _unknownLoss, 0) == 1;
                if (dropped > 0 || unknownLoss)
                {
                    yield return DroppedNotice(dropped, Interlocked.Read(ref _lastDroppedId));
                }

                yield return message;
            }
        }
    }

    public void Dispose()
    {
        _owner.Unsubscribe(this);
        _queue.Writer.TryComplete();
    }

    /// <summary>
    /// Reports messages that were never queued (they left the resume buffer before the reader came back); a
    /// <paramref name="count"/> of 0 means some were missed but their number is unknown.
    /// </summary>
    public void ReportMissed(long count, long lastMissedId)
    {
        Interlocked.Add(ref _dropped, count);
        Interlocked.Exchange(ref _lastDroppedId, lastMissedId);
        if (count == 0)
        {
            Interlocked.Exchange(ref _unknownLoss, 1);
        }
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
