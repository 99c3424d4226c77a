using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Streams;

/// <summary>
/// Fans every stored event out to the live readers (SSE and WebSocket), once, in store order, following the store's
/// change feed. A message's stream id is its event's sequence, so ids are the same before and after a restart; the
/// most recent event messages stay in a ring (filled from the store's held events at start) so a reader that
/// reconnects with its last id resumes without gaps or repeats. Publishing never waits for a reader: each has its own
/// bounded queue.
/// </summary>
internal sealed class EventBroadcaster : IEventStoreObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamOptions _options;
    private readonly BroadcastMessage?[] _ring;
    private readonly IDisposable _feed;
    private long _firstId;
    private long _lastId;
    private long _droppedMessages;
    private long _queuedMessages;

    // Readers by the service their filter names, so an event is offered only to readers that may want it;
    // readers of every service are in _anyService. All of it is guarded by _gate.
    private readonly Dictionary<string, List<StreamSubscription>> _byService = new(StringComparer.Ordinal);
    private readonly List<StreamSubscription> _anyService = [];
    private int _subscriberCount;

    public EventBroadcaster(IEventStore store, IOptions<StreamOptions> options)
    {
        _options = options.Value;
        _ring = new BroadcastMessage?[_options.RingBufferSize];
        _feed = store.Subscribe(this);
    }

    public int SubscriberCount => Volatile.Read(ref _subscriberCount);

    /// <summary>Messages dropped across all readers because they fell behind.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Messages waiting in all readers' queues together; at most about <see cref="StreamOptions.MaxQueuedMessagesTotal"/>.</summary>
    public long QueuedMessages => Interlocked.Read(ref _queuedMessages);

    /// <summary>Whether the readers together hold their whole budget and one holding <paramref name="readerQueued"/> holds more than its share.</summary>
    public bool OverBudget(long readerQueued) =>
        QueuedMessages >= _options.MaxQueuedMessagesTotal
        && readerQueued >= Math.Max(1, _options.MaxQueuedMessagesTotal / Math.Max(1, SubscriberCount));

    public void CountQueued(int delta) => Interlocked.Add(ref _queuedMessages, delta);

    public void OnSubscribed(IReadOnlyList<EventRecord> held, long nextSequence)
    {
        lock (_gate)
        {
            _firstId = held.Count > 0 ? held[0].Sequence : nextSequence;
            _lastId = _firstId - 1;
            for (var i = Math.Max(0, held.Count - _ring.Length); i < held.Count; i++)
            {
                Keep(new BroadcastMessage(held[i]));
            }
        }
    }

    /// <summary>Publishes newly stored events, in order. Their envelopes are serialized by the first reader that needs them.</summary>
    public void OnAppended(IReadOnlyList<EventRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                var message = new BroadcastMessage(record);
                Keep(message);
                OfferTo(_anyService, message);
                if (record.ServiceName is { } service && _byService.TryGetValue(service, out var readers))
                {
                    OfferTo(readers, message);
                }
            }
        }
    }

    public void OnEvicted(EventRecord record)
    {
        // Recent messages stay resumable even after their event left the store.
    }

    /// <summary>Sends a message that is not an event (stats, ping) to every reader; it is not kept for resuming.</summary>
    public void PublishToAll(byte[] envelope)
    {
        lock (_gate)
        {
            var message = new BroadcastMessage(_lastId, envelope);
            OfferTo(_anyService, message);
            foreach (var readers in _byService.Values)
            {
                OfferTo(readers, message);
            }
        }
    }

    /// <summary>
    /// Sends a message about one service (an insight) to the readers whose filter names that service or no service; a
    /// message about no service goes to the latter only. It is not kept for resuming.
    /// </summary>
    public void PublishAbout(string? serviceName, byte[] envelope)
    {
        lock (_gate)
        {
            var message = new BroadcastMessage(_lastId, envelope);
            OfferTo(_anyService, message);
            if (serviceName is not null && _byService.TryGetValue(serviceName, out var readers))
            {
                OfferTo(readers, message);
            }
        }
    }

    /// <summary>
    /// Adds a reader, first queueing the held messages after <paramref name="lastEventId"/> that pass its filter, after a
    /// <c>dropped</c> notice when some cannot be replayed. Null when the connection limit is reached.
    /// </summary>
    public StreamSubscription? TrySubscribe(EventFilter filter, long? lastEventId)
    {
        var subscription = new StreamSubscription(this, filter, _options.SubscriberQueueSize);
        lock (_gate)
        {
            if (_subscriberCount >= _options.MaxConnections)
            {
                return null;
            }

            if (lastEventId is { } last && last < _lastId)
            {
                if (last < _firstId - 1)
                {
                    // An id from before anything this server holds (an earlier memory-only run, or long evicted): the
                    // reader missed messages, and how many cannot be told; it gets every message held after a notice.
                    subscription.ReportMissed(0, _firstId - 1);
                    last = _firstId - 1;
                }

                Replay(subscription, last);
            }

            ReadersFor(filter).Add(subscription);
            Volatile.Write(ref _subscriberCount, _subscriberCount + 1);
        }

        return subscription;
    }

    public void Unsubscribe(StreamSubscription subscription)
    {
        lock (_gate)
        {
            if (RemoveReader(subscription))
            {
                Volatile.Write(ref _subscriberCount, _subscriberCount - 1);
            }
        }
    }

    /// <summary>Replaces a reader's filter, moving it to the readers of its new service.</summary>
    public void ChangeFilter(StreamSubscription subscription, EventFilter filter, Action<EventFilter> assign)
    {
        lock (_gate)
        {
            var registered = RemoveReader(subscription);
            assign(filter);
            if (registered)
            {
                ReadersFor(filter).Add(subscription);
            }
        }
    }

    public void CountDropped() => Interlocked.Increment(ref _droppedMessages);

    public void Dispose() => _feed.Dispose();

    private void Keep(BroadcastMessage message)
    {
        _ring[message.Id % _ring.Length] = message;
        _lastId = message.Id;
    }

    private List<StreamSubscription> ReadersFor(EventFilter filter)
    {
        if (filter.ServiceName is not { } service)
        {
            return _anyService;
        }

        if (!_byService.TryGetValue(service, out var readers))
        {
            readers = [];
            _byService.Add(service, readers);
        }

        return readers;
    }

    private bool RemoveReader(StreamSubscription subscription)
    {
        var readers = ReadersFor(subscription.Filter);
        var removed = readers.Remove(subscription);
        if (readers.Count == 0 && subscription.Filter.ServiceName is { } service)
        {
            _byService.Remove(service);
        }

        return removed;
    }

    private static void OfferTo(List<StreamSubscription> readers, BroadcastMessage message)
    {
        foreach (var reader in readers)
        {
            reader.Offer(message);
        }
    }

    private void Replay(StreamSubscription subscription, long lastEventId)
    {
        var oldestHeld = Math.Max(_firstId, _lastId - _ring.Length + 1);
        if (lastEventId + 1 < oldestHeld)
        {
            subscription.ReportMissed(oldestHeld - lastEventId - 1, oldestHeld - 1);
        }

        for (var id = Math.Max(lastEventId + 1, oldestHeld); id <= _lastId; id++)
        {
            subscription.Offer(_ring[id % _ring.Length]!);
        }
    }
}
