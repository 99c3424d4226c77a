using Microsoft.Extensions.Options;

namespace EventTracker.Server.Storage;

/// <summary>
/// The memory-only <see cref="IEventStore"/> (<c>--in-memory</c>, or an empty data directory setting): everything lives in a
/// <see cref="MemoryLayer"/> and is gone when the process ends. Appends are planned and applied under one gate.
/// </summary>
internal sealed class InMemoryEventStore : MemoryLayerStore, IDisposable
{
    private readonly Lock _appendGate = new();
    private readonly MemoryLayer _memory;

    public InMemoryEventStore(IOptions<EventStoreOptions> options, TimeProvider time) =>
        _memory = new MemoryLayer(options.Value, time, EventIds.FirstSequence(time));

    protected override MemoryLayer Memory => _memory;

    public override ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Append(AppendOperation.Single(newEvent)).ToAppendResult());
    }

    public override ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Append(AppendOperation.Batch(batchId, events)).ToBatchResult());
    }

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
