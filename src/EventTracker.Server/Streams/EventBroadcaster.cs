using System.Runtime.InteropServices;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Streams;

/// <summary>
/// Fans every stored event out to the live readers (SSE and WebSocket), once, in store order, following the store's
/// change feed from where it stood at start. A message's stream id is its event's position, so an id means the same
/// before and after a restart and on every node over one database; the most recent event messages stay in a
/// <see cref="ResumeRing"/> so a reader that reconnects with its last id resumes without gaps or repeats. Publishing
/// never waits for a reader: each has its own bounded queue.
/// </summary>
internal sealed partial class EventBroadcaster : FeedFollower
{
    private readonly Lock _gate = new();
    private readonly StreamOptions _options;
    private readonly ResumeRing _ring;
    private readonly long _firstId;
    private long _lastId;
    private long _droppedMessages;
    private long _queuedMessages;

    // Readers by the service their filter names, so an event is offered only to readers that may want it;
    // readers of every service are in _anyService. All of it is guarded by _gate.
    private readonly Dictionary<string, List<StreamSubscription>> _byService = new(StringComparer.Ordinal);
    private readonly List<StreamSubscription> _anyService = [];
    private int _subscriberCount;
    private readonly ILogger<EventBroadcaster> _logger;
    private readonly Telemetry.LogThrottle _dropLines;

    public EventBroadcaster(IEventStore store, IOptions<StreamOptions> options, TimeProvider time, ILogger<EventBroadcaster> logger)
        : base(store, time, logger)
    {
        _logger = logger;
        _dropLines = new Telemetry.LogThrottle(time, TimeSpan.FromSeconds(10));
        _options = options.Value;
        _ring = new ResumeRing(_options.RingBufferSize);

        // The ring starts with the most recent events held (positions may have gaps: at most that many).
        var head = store.ReadHeadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var from = head with { Appended = Math.Max(0, head.Appended - _options.RingBufferSize) };
        _firstId = from.Appended + 1;
        _lastId = from.Appended;
        Start(from);
    }

    public int SubscriberCount => Volatile.Read(ref _subscriberCount);

    /// <summary>Messages dropped across all readers because they fell behind.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Messages waiting in all readers' queues together; at most about <see cref="StreamOptions.MaxQueuedMessagesTotal"/>.</summary>
    public long QueuedMessages => Interlocked.Read(ref _queuedMessages);

    /// <summary>
    /// Most messages one reader with a queue of <paramref name="queueSize"/> may hold: its queue, or, when the readers'
    /// queues together could pass <see cref="StreamOptions.MaxQueuedMessagesTotal"/>, its share of that budget. A cap of
    /// its own rather than a check of the total, so it holds whatever order the readers are offered messages in.
    /// </summary>
    public int ReaderLimit(int queueSize)
    {
        var readers = Math.Max(1, SubscriberCount);
        return (long)readers * queueSize <= _options.MaxQueuedMessagesTotal ? queueSize : Math.Max(1, _options.MaxQueuedMessagesTotal / readers);
    }

    public void CountQueued(int delta) => Interlocked.Add(ref _queuedMessages, delta);

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
    /// Adds a reader, first queueing the messages after <paramref name="lastEventId"/> that pass its filter (everything
    /// stored before the call included), after a <c>dropped</c> notice when some cannot be replayed. Null when the
    /// connection limit is reached.
    /// </summary>
    public async ValueTask<StreamSubscription?> TrySubscribeAsync(EventFilter filter, long? lastEventId, CancellationToken cancellationToken)
    {
        if (lastEventId is not null)
        {
            await CatchUpAsync(cancellationToken);
        }

        var subscription = new StreamSubscription(this, filter, _options.SubscriberQueueSize);
        lock (_gate)
        {
            if (_subscriberCount >= _options.MaxConnections)
            {
                return null;
            }

            if (lastEventId is { } last && last < _lastId)
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

    public void CountDropped(int count)
    {
        Interlocked.Add(ref _droppedMessages, count);
        if (_dropLines.Count(count, out var dropped))
        {
            LogDropped(_logger, dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Dropped {Count} stream messages for readers that fell behind since the last report (each reader is told; eventtracker.stream.messages.dropped counts them).")]
    private static partial void LogDropped(ILogger logger, long count);

    /// <summary>
    /// Publishes newly stored events, in order: each reader is offered the whole batch at once (the readers of every
    /// service all of it, the readers of one service its part). Their envelopes are serialized by the first reader that
    /// needs them.
    /// </summary>
    protected override void Apply(IReadOnlyList<StoreChange> changes)
    {
        lock (_gate)
        {
            var all = new List<BroadcastMessage>(changes.Count);
            Dictionary<string, List<BroadcastMessage>>? byService = null;
            foreach (var change in changes)
            {
                // Removals and restarts of the feed change nothing here: recent messages stay resumable after their event left the store.
                if (change.Kind != StoreChangeKind.Appended || change.Record!.Sequence <= _lastId)
                {
                    continue;
                }

                var message = new BroadcastMessage(change.Record);
                _ring.Add(message);
                _lastId = message.Id;
                all.Add(message);
                if (change.Record.ServiceName is { } service && _byService.ContainsKey(service))
                {
                    byService ??= new Dictionary<string, List<BroadcastMessage>>(StringComparer.Ordinal);
                    if (!byService.TryGetValue(service, out var part))
                    {
                        byService.Add(service, part = []);
                    }

                    part.Add(message);
                }
            }

            if (all.Count == 0)
            {
                return;
            }

            OfferTo(_anyService, CollectionsMarshal.AsSpan(all));
            foreach (var (service, part) in byService ?? [])
            {
                OfferTo(_byService[service], CollectionsMarshal.AsSpan(part));
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

    private void OfferTo(List<StreamSubscription> readers, BroadcastMessage message) => OfferTo(readers, new ReadOnlySpan<BroadcastMessage>(in message));

    // Drops are counted once for all the readers, not once per reader: a publish costs each reader only its queue's work.
    private void OfferTo(List<StreamSubscription> readers, ReadOnlySpan<BroadcastMessage> messages)
    {
        var dropped = 0;
        foreach (var reader in readers)
        {
            dropped += reader.Offer(messages);
        }

        if (dropped > 0)
        {
            CountDropped(dropped);
        }
    }

    private void Replay(StreamSubscription subscription, long lastEventId)
    {
        if (lastEventId < _firstId - 1)
        {
            // An id from before anything this server followed (an earlier memory-only run, or long evicted): the reader
            // missed messages, and how many cannot be told; it gets every message held after a notice.
            subscription.ReportMissed(0, (_ring.OldestId ?? _firstId) - 1);
        }
        else if (_ring.HasDropped && _ring.OldestId is { } oldest && lastEventId + 1 < oldest)
        {
            // Positions are consecutive within one process's store; across nodes they may have gaps, so this is an upper bound.
            subscription.ReportMissed(oldest - lastEventId - 1, oldest - 1);
        }

        if (subscription.Offer(_ring.After(lastEventId).ToArray()) is var dropped and > 0)
        {
            CountDropped(dropped);
        }
    }
}
