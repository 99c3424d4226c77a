using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>
/// What the stores that hold their events in a <see cref="MemoryLayer"/> answer alike: counts, queries and the change
/// feed come from memory; they differ in how an append gets there.
/// </summary>
internal abstract class MemoryLayerStore : IEventStore
{
    public long Count => Memory.Count;

    public long EvictedCount => Memory.EvictedCount;

    /// <summary>The layer the events are held in.</summary>
    protected abstract MemoryLayer Memory { get; }

    public abstract ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken);

    public abstract ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    public ValueTask<EventPage> QueryAsync(EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Memory.Query(filter, from, to, limit, before));
    }

    public ValueTask<FeedPosition> ReadHeadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Memory.Head);

    public ValueTask<FeedPage> ReadAsync(FeedPosition after, int maxChanges, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Memory.Read(after, maxChanges));
    }

    public Task WaitForChangesAsync(FeedPosition after, CancellationToken cancellationToken) => Memory.WaitForChangesAsync(after, cancellationToken);
}
