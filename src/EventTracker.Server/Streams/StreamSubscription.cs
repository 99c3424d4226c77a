using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Streams;

/// <summary>
/// One reader of the live stream. Messages wait in a bounded queue of its own (a <see cref="MessageRing"/>), offered a
/// batch at a time under one lock, so each reader costs the publisher little per message. When the reader falls
/// behind, the oldest are dropped, counted, and reported to it in a <c>dropped</c> message before the next one it reads. All
/// readers together hold at most the broadcaster's total budget: past it, a reader holding more than its share loses
/// its oldest message for each new one. A drop and its count happen under one lock with the reader's take, so the
/// notice for a gap always comes before the first message after it.
/// </summary>
internal sealed class StreamSubscription : IDisposable
{
    private static readonly EventFilter Unfiltered = new();
    private readonly MessageRing _queue;
    private readonly int _queueSize;
    private readonly Lock _gate = new();
    private readonly EventBroadcaster _owner;
    private EventFilter _filter;
    private TaskCompletionSource? _waiter; // set while the reader waits for a message; guarded by _gate
    private bool _completed;
    // What was lost since the reader last took a message: guarded by _gate.
    private long _dropped;
    private long _lastDroppedId;
    private bool _unknownLoss; // messages were missed in a number nobody knows

    public StreamSubscription(EventBroadcaster owner, EventFilter filter, int queueSize)
    {
        _owner = owner;
        _filter = filter;
        _queueSize = queueSize;
        _queue = new MessageRing(queueSize);
    }

    /// <summary>Which events this reader receives; can be replaced while reading.</summary>
    public EventFilter Filter
    {
        get => Volatile.Read(ref _filter);
        set => _owner.ChangeFilter(this, value, filter => Volatile.Write(ref _filter, filter));
    }

    /// <summary>Whether messages are waiting to be read (a hint: more may arrive at any moment).</summary>
    public bool HasPending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count > 0;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="message"/> if it is not an event or the event passes the filter. Never waits.
    /// </summary>
    /// <returns>How many messages the reader lost to make room (for the broadcaster to count).</returns>
    public int Offer(BroadcastMessage message) => Offer(new ReadOnlySpan<BroadcastMessage>(in message));

    /// <summary>Queues, in order, those of <paramref name="messages"/> that are not events or pass the filter. Never waits.</summary>
    /// <returns>How many messages the reader lost to make room (for the broadcaster to count).</returns>
    /// <remarks>
    /// A reader that stopped reading is offered every message all the same, so this costs it little per message: the
    /// oldest leave its queue and the newest join it as blocks, not one by one.
    /// </remarks>
    public int Offer(ReadOnlySpan<BroadcastMessage> messages)
    {
        var filter = Filter;
        var passing = filter == Unfiltered ? messages : Passing(filter, messages);
        var limit = _owner.ReaderLimit(_queueSize);
        int dropped;
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_completed || passing.Length == 0)
            {
                return 0;
            }

            // Past the limit the oldest go first: those waiting, then the oldest offered. The limit can shrink while
            // messages wait (more readers share the budget): then more go than are offered.
            var waiting = _queue.Count;
            dropped = Math.Max(0, waiting + passing.Length - limit);
            var fromQueue = Math.Min(dropped, waiting);
            if (fromQueue > 0)
            {
                Drop(_queue.TakeOldest(fromQueue), fromQueue);
            }

            var fromOffered = dropped - fromQueue;
            if (fromOffered > 0)
            {
                Drop(passing[fromOffered - 1], fromOffered);
            }

            _queue.AddRange(passing[fromOffered..]);
            waiter = _waiter;
            _waiter = null;
        }

        _owner.CountQueued(passing.Length - dropped);
        waiter?.TrySetResult();
        return dropped;
    }

    /// <summary>The messages for this reader, with a <c>dropped</c> notice wherever some were lost.</summary>
    public async IAsyncEnumerable<BroadcastMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var (message, notice, wait) = Next();
            if (message is null)
            {
                if (wait is null)
                {
                    yield break;
                }

                await wait.WaitAsync(cancellationToken);
                continue;
            }

            if (notice is not null)
            {
                yield return notice;
            }

            yield return message;
        }
    }

    /// <summary>Leaves the broadcaster and gives back what this reader still held.</summary>
    public void Dispose()
    {
        _owner.Unsubscribe(this);
        TaskCompletionSource? waiter;
        var released = 0;
        lock (_gate)
        {
            _completed = true;
            while (_queue.TryTake(out _))
            {
                released++;
            }

            waiter = _waiter;
            _waiter = null;
        }

        _owner.CountQueued(-released);
        waiter?.TrySetResult();
    }

    /// <summary>
    /// Reports messages that were never queued (they left the resume buffer before the reader came back); a
    /// <paramref name="count"/> of 0 means some were missed but their number is unknown.
    /// </summary>
    public void ReportMissed(long count, long lastMissedId)
    {
        lock (_gate)
        {
            _dropped += count;
            _lastDroppedId = lastMissedId;
            if (count == 0)
            {
                _unknownLoss = true;
            }
        }
    }

    // The next message and the notice of what was lost before it, taken together so no drop falls between them; or,
    // when there is none, what to wait for (nothing once the reader is disposed).
    private (BroadcastMessage? Message, BroadcastMessage? Notice, Task? Wait) Next()
    {
        lock (_gate)
        {
            if (_queue.TryTake(out var message))
            {
                _owner.CountQueued(-1);
                BroadcastMessage? notice = null;
                if (_dropped > 0 || _unknownLoss)
                {
                    notice = DroppedNotice(_dropped, _lastDroppedId);
                    _dropped = 0;
                    _unknownLoss = false;
                }

                return (message, notice, null);
            }

            if (_completed)
            {
                return (null, null, null);
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (null, null, _waiter.Task);
        }
    }

    // The newest of count messages lost at once.
    private void Drop(BroadcastMessage newest, int count)
    {
        _dropped += count;
        _lastDroppedId = newest.Id;
    }

    // Readers of one service are offered only that service's events, which all pass: no copy is made then.
    private static ReadOnlySpan<BroadcastMessage> Passing(EventFilter filter, ReadOnlySpan<BroadcastMessage> messages)
    {
        var first = 0;
        while (first < messages.Length && Passes(filter, messages[first]))
        {
            first++;
        }

        if (first == messages.Length)
        {
            return messages;
        }

        var passing = new List<BroadcastMessage>(messages.Length);
        passing.AddRange(messages[..first]);
        foreach (var message in messages[(first + 1)..])
        {
            if (Passes(filter, message))
            {
                passing.Add(message);
            }
        }

        return CollectionsMarshal.AsSpan(passing);
    }

    private static bool Passes(EventFilter filter, BroadcastMessage message) => message.Event is null || filter.Matches(message.Event);

    private static BroadcastMessage DroppedNotice(long count, long lastMissedId) =>
        new(lastMissedId, Envelope.Serialize(
            StreamMessageTypes.Dropped,
            new DroppedNotice { Count = count, LastMissedId = lastMissedId },
            EventTrackerJsonContext.Default.DroppedNotice));
}
