using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Streams;

/// <summary>
/// Fans every stored event out to the live readers (SSE and WebSocket), once, in one order. Each message gets a
/// stream id; the most recent event messages stay in a ring so a reader that reconnects with its last id resumes
/// without gaps or repeats. Publishing never waits for a reader: each has its own bounded queue.
/// </summary>
internal sealed class EventBroadcaster
{
    private readonly Lock _gate = new();
    private readonly IEventStore _store;
    private readonly StreamOptions _options;
    private readonly BroadcastMessage?[] _ring;
    private readonly long _firstId;
    private long _lastId;
    private long _droppedMessages;

    // Readers by the service their filter names, so an event is offered only to readers that may want it;
    // readers of every service are in _anyService. All of it is guarded by _gate.
    private readonly Dictionary<string, List<StreamSubscription>> _byService = new(StringComparer.Ordinal);
    private readonly List<StreamSubscription> _anyService = [];
    private int _subscriberCount;

    public EventBroadcaster(IEventStore store, IOptions<StreamOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options.Value;
        _ring = new BroadcastMessage?[_options.RingBufferSize];

        // Ids start from the clock (in thousandths of a millisecond) so they keep growing across restarts,
        // and a Last-Event-ID from before a restart is never mistaken for a recent one.
        _lastId = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _firstId = _lastId + 1;
    }

    public int SubscriberCount => Volatile.Read(ref _subscriberCount);

    /// <summary>Messages dropped across all readers because they fell behind.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Publishes newly stored events, in order.</summary>
    public void PublishEvents(IReadOnlyList<EventRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        // Serialized here, outside the lock and on the ingesting thread, only when someone is listening.
        var envelopes = SubscriberCount > 0 ? records.Select(r => BroadcastMessage.SerializeEvent(r, _store)).ToList() : null;
        lock (_gate)
        {
            for (var i = 0; i < records.Count; i++)
            {
                var message = new BroadcastMessage(++_lastId, records[i], _store, envelopes?[i]);
                _ring[message.Id % _ring.Length] = message;
                OfferTo(_anyService, message);
                if (records[i].ServiceName is { } service && _byService.TryGetValue(service, out var readers))
                {
                    OfferTo(readers, message);
                }
            }
        }
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
    /// Adds a reader, first queueing the held messages after <paramref name="lastEventId"/> that pass its filter.
    /// Null when the connection limit is reached.
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

            if (lastEventId is { } last && last >= _firstId - 1 && last < _lastId)
            {
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

    public void CountDropped() => Interlocked.Increment(ref _droppedMessages);

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
