namespace EventTracker.Server.Storage;

/// <summary>
/// What makes appends idempotent: the held events by their client ids (while the event is held), and the receipts
/// of the most recent batch ids (a bounded number, oldest forgotten first).
/// </summary>
internal sealed class ReplayLedger : IReplayLookup
{
    private readonly Dictionary<string, EventRecord> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchReceipt> _batches = new(StringComparer.Ordinal);
    private readonly Queue<string> _batchOrder = new();
    private readonly int _maxBatches;

    public ReplayLedger(int maxBatches) => _maxBatches = maxBatches;

    public bool TryGetEvent(string clientEventId, out EventRecord record) => _byClientId.TryGetValue(clientEventId, out record!);

    public bool TryGetBatch(string batchId, out BatchReceipt receipt) => _batches.TryGetValue(batchId, out receipt);

    public void Remember(EventRecord record)
    {
        if (record.ClientEventId is { } clientId)
        {
            _byClientId[clientId] = record;
        }
    }

    /// <summary>Forgets an evicted event's client id, unless a newer event took it over.</summary>
    public void Forget(EventRecord record)
    {
        if (record.ClientEventId is { } clientId && _byClientId.TryGetValue(clientId, out var held) && ReferenceEquals(held, record))
        {
            _byClientId.Remove(clientId);
        }
    }

    public void RememberBatch(string batchId, BatchReceipt receipt)
    {
        if (!_batches.TryAdd(batchId, receipt))
        {
            return;
        }

        _batchOrder.Enqueue(batchId);
        while (_batchOrder.Count > _maxBatches)
        {
            _batches.Remove(_batchOrder.Dequeue());
        }
    }
}
