using EventTracker.Contracts;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Storage;

/// <summary>
/// The memory-only <see cref="IEventStore"/> (<c>--in-memory</c>, or an empty data directory setting): everything lives in a
/// <see cref="MemoryLayer"/> and is gone when the process ends. Appends are planned and applied under one gate.
/// </summary>
internal sealed class InMemoryEventStore : IEventStore, IDisposable
{
    private readonly Lock _appendGate = new();
    private readonly MemoryLayer _memory;

    public InMemoryEventStore(IOptions<EventStoreOptions> options, TimeProvider time) =>
        _memory = new MemoryLayer(options.Value, time, EventIds.FirstSequence(time));

    public long Count => _memory.Count;

    public long EvictedCount => _memory.EvictedCount;

    public ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Append(AppendOperation.Single(newEvent)).ToAppendResult());
    }

    public ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Append(AppendOperation.Batch(batchId, events)).ToBatchResult());
    }

    public ValueTask<EventPage> QueryAsync(EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_memory.Query(filter, from, to, limit, before));
    }

    public ValueTask<FeedPosition> ReadHeadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_memory.Head);

    public ValueTask<FeedPage> ReadAsync(FeedPosition after, int maxChanges, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_memory.Read(after, maxChanges));
    }

    public Task WaitForChangesAsync(FeedPosition after, CancellationToken cancellationToken) =>
        _memory.WaitForChangesAsync(after, cancellationToken);

    public void Dispose() => _memory.Dispose();

    private AppendOperation Append(AppendOperation operation)
    {
        AppendOperation[] operations = [operation];
        lock (_appendGate)
        {
            _memory.Plan(operations);
            _memory.Apply(operations);
        }

        return operation;
    }
}
