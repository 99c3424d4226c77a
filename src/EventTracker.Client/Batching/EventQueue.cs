using System.Threading.Channels;

namespace EventTracker.Client;

/// <summary>
/// The background tracker's queue, bounded by the memory its events hold (<see cref="EventTrackerClientOptions.MaxQueueBytes"/>,
/// estimated per event) and by a count (<see cref="EventTrackerClientOptions.QueueCapacity"/>). When it is full,
/// <see cref="Add"/> drops by <see cref="QueueFullPolicy"/> (under <see cref="QueueFullPolicy.Wait"/>, the new event,
/// since it must not block) and <see cref="AddAsync"/> waits for room under <see cref="QueueFullPolicy.Wait"/>.
/// Every drop is counted.
/// </summary>
internal sealed class EventQueue
{
    private readonly Channel<QueuedEvent> _channel;
    private readonly long _maxBytes;
    private readonly QueueFullPolicy _policy;
    private readonly DeliveryCounters _counters;
    private long _bytes;
    private volatile bool _completed;
    private TaskCompletionSource _room = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EventQueue(EventTrackerClientOptions options, DeliveryCounters counters)
    {
        _maxBytes = options.MaxQueueBytes;
        _policy = options.QueueFullPolicy;
        _counters = counters;

        // Not single-reader: dropping the oldest takes it from the queue on the caller's thread.
        _channel = Channel.CreateBounded<QueuedEvent>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Whether the queue is closed and empty: nothing more will come out of it.</summary>
    public bool IsDrained => _channel.Reader.Completion.IsCompleted;

    /// <summary>Queues the event, or drops an event by policy when full; never waits.</summary>
    public void Add(in QueuedEvent queued)
    {
        if (TryWrite(queued))
        {
            return;
        }

        if (_policy == QueueFullPolicy.DropOldest && !_completed)
        {
            while (TryTake(out var oldest))
            {
                Release(oldest.Size);
                _counters.CountDropped(1, wereAccepted: true);
                if (TryWrite(queued))
                {
                    return;
                }
            }
        }

        _counters.CountDropped(1, wereAccepted: false);
    }

    /// <summary>As <see cref="Add"/>, but under <see cref="QueueFullPolicy.Wait"/> waits until there is room.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first; the event was not queued (nor counted).</exception>
    public async ValueTask AddAsync(QueuedEvent queued, CancellationToken cancellationToken)
    {
        if (_policy != QueueFullPolicy.Wait)
        {
            Add(queued);
            return;
        }

        while (true)
        {
            // Renewed before trying, so room made after the try completes the wait below.
            var room = RenewRoom();
            if (TryWrite(queued))
            {
                return;
            }

            if (_completed)
            {
                _counters.CountDropped(1, wereAccepted: false);
                return;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Takes the oldest event; its room is made when the taker calls <see cref="Release"/>.</summary>
    public bool TryTake(out QueuedEvent queued) => _channel.Reader.TryRead(out queued);

    /// <summary>
    /// Gives back the room of events taken. The sending loop does it once per batch rather than per event, so the
    /// byte count is not written from both sides of the queue for every event.
    /// </summary>
    public void Release(long bytes)
    {
        Interlocked.Add(ref _bytes, -bytes);
        _room.TrySetResult();
    }

    /// <summary>Waits until there is an event to take; false when the queue is drained.</summary>
    public ValueTask<bool> WaitToTakeAsync(CancellationToken cancellationToken = default) => _channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Closes the queue to new events; false when it was closed already.</summary>
    public bool Complete()
    {
        _completed = true;
        var completed = _channel.Writer.TryComplete();
        _room.TrySetResult(); // waiting adders see it is closed
        return completed;
    }

    // One event larger than the whole limit still goes in when the queue is empty, or it could never be sent.
    private bool TryWrite(in QueuedEvent queued)
    {
        var bytes = Interlocked.Add(ref _bytes, queued.Size);
        if ((bytes > _maxBytes && bytes != queued.Size) || !_channel.Writer.TryWrite(queued))
        {
            Interlocked.Add(ref _bytes, -queued.Size);
            return false;
        }

        _counters.CountAccepted();
        return true;
    }

    private Task RenewRoom()
    {
        var room = _room;
        if (room.Task.IsCompleted)
        {
            var renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            room = Interlocked.CompareExchange(ref _room, renewed, room) == room ? renewed : _room;
        }

        return room.Task;
    }
}
