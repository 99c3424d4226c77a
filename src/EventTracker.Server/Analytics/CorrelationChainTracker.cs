using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Follows correlation chains that start (<c>api-request-start</c>, <c>checkout-started</c>, …) until an event
/// with the same correlation id finishes them (<c>-success</c>, <c>-sent</c>, <c>-completed</c>, an error, …),
/// so chains that never finish can be reported. Holds at most a configured number of open chains;
/// the oldest beyond that are forgotten.
/// </summary>
internal sealed class CorrelationChainTracker
{
    internal static readonly string[] StartSuffixes = ["-start", "-started", "-received", "-attempt", "-begin", "-initiated"];
    internal static readonly string[] EndSuffixes =
        ["-success", "-succeeded", "-sent", "-complete", "-completed", "-end", "-ended", "-finished", "-done", "-created", "-response"];

    private readonly int _capacity;
    private readonly Dictionary<string, EventRecord> _open = new(StringComparer.Ordinal);

    // Chain starts in arrival order; entries whose chain has finished are skipped and compacted lazily.
    private readonly Queue<EventRecord> _starts = new();

    public CorrelationChainTracker(int capacity) => _capacity = capacity;

    public static bool IsStart(string name) => EndsWithAny(name, StartSuffixes);

    public static bool IsEnd(string name) => ErrorNames.IsErrorName(name) || EndsWithAny(name, EndSuffixes);

    public void Observe(EventRecord record)
    {
        if (record.CorrelationId is not { } correlationId)
        {
            return;
        }

        if (IsStart(record.Name))
        {
            if (_open.TryAdd(correlationId, record))
            {
                _starts.Enqueue(record);
                ForgetBeyondCapacity();
            }
        }
        else if (IsEnd(record.Name))
        {
            _open.Remove(correlationId);
            CompactIfMostlyStale();
        }
    }

    /// <summary>Stops following a chain whose start event was evicted from the store.</summary>
    public void Evicted(EventRecord record)
    {
        if (record.CorrelationId is { } id && _open.TryGetValue(id, out var start) && ReferenceEquals(start, record))
        {
            _open.Remove(id);
        }
    }

    /// <summary>Open chains that started at or before <paramref name="startedBefore"/>, per service.</summary>
    public Dictionary<string, ChainCount> OpenChainsStartedBefore(long startedBefore)
    {
        var result = new Dictionary<string, ChainCount>(StringComparer.Ordinal);
        foreach (var start in _starts)
        {
            // Starts are in arrival order, and events may arrive out of time order: look at every one.
            if (start.Timestamp > startedBefore || !IsOpen(start))
            {
                continue;
            }

            var service = start.ServiceName ?? RollupSet.UnknownService;
            result[service] = result.TryGetValue(service, out var count)
                ? count with { Count = count.Count + 1, EarliestStart = Math.Min(count.EarliestStart, start.Timestamp) }
                : new ChainCount(1, start.Name, start.Timestamp);
        }

        return result;
    }

    private bool IsOpen(EventRecord start) =>
        _open.TryGetValue(start.CorrelationId!, out var open) && ReferenceEquals(open, start);

    private void ForgetBeyondCapacity()
    {
        while (_open.Count > _capacity && _starts.TryDequeue(out var oldest))
        {
            if (IsOpen(oldest))
            {
                _open.Remove(oldest.CorrelationId!);
            }
        }
    }

    private void CompactIfMostlyStale()
    {
        if (_starts.Count < 1024 || _starts.Count < 2 * _open.Count)
        {
            return;
        }

        var live = _starts.Where(IsOpen).ToList();
        _starts.Clear();
        foreach (var start in live)
        {
            _starts.Enqueue(start);
        }
    }

    private static bool EndsWithAny(string name, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
