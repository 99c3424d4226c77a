using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Follows correlation chains that start (<c>api-request-start</c>, <c>checkout-started</c>, …) until an event
/// with the same correlation id finishes them (<c>-success</c>, <c>-sent</c>, <c>-completed</c>, an error, …),
/// so chains that never finish can be reported. Whichever of start and end arrives first closes the chain: senders
/// that fire each event on its own task deliver ends before starts, so an end with no open chain is remembered (at
/// most as many as chains are followed, for <see cref="EarlyEndWindow"/> of event time) and closes the start that
/// follows. Open chains are indexed by start time, per service, so counting those started before a time walks only
/// those. Holds at most a configured number of open chains; the oldest beyond that are forgotten.
/// </summary>
internal sealed class CorrelationChainTracker
{
    internal static readonly string[] StartSuffixes = ["-start", "-started", "-received", "-attempt", "-begin", "-initiated"];
    internal static readonly string[] EndSuffixes =
        ["-success", "-succeeded", "-sent", "-complete", "-completed", "-end", "-ended", "-finished", "-done", "-created", "-response"];

    /// <summary>How far apart in event time an end that arrived first and its start may be and still close the chain.</summary>
    internal static readonly long EarlyEndWindow = (long)TimeSpan.FromMinutes(10).TotalMilliseconds;

    private readonly int _capacity;
    private readonly Dictionary<string, EventRecord> _open = new(StringComparer.Ordinal);
    private readonly SortedSet<EventRecord> _byStart = new(StartOrder.Instance);
    private readonly Dictionary<string, SortedSet<EventRecord>> _byService = new(StringComparer.Ordinal);

    // Ends that found no open chain, by correlation id, with the order they came in for forgetting the oldest.
    private readonly Dictionary<string, long> _earlyEnds = new(StringComparer.Ordinal);
    private readonly Queue<(string CorrelationId, long Timestamp)> _earlyEndOrder = new();

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
            if (_earlyEnds.Remove(correlationId, out var ended) && Math.Abs(ended - record.Timestamp) <= EarlyEndWindow)
            {
                return;
            }

            if (_open.TryAdd(correlationId, record))
            {
                _byStart.Add(record);
                ServiceStarts(record).Add(record);
                ForgetBeyondCapacity();
            }
        }
        else if (IsEnd(record.Name))
        {
            if (_open.Remove(correlationId, out var start))
            {
                Unindex(start);
            }
            else
            {
                RememberEarlyEnd(correlationId, record.Timestamp);
            }
        }
    }

    /// <summary>Stops following a chain whose start event was evicted from the store.</summary>
    public void Evicted(EventRecord record)
    {
        if (record.CorrelationId is { } id && _open.TryGetValue(id, out var start) && ReferenceEquals(start, record))
        {
            _open.Remove(id);
            Unindex(start);
        }
    }

    /// <summary>Open chains that started at or before <paramref name="startedBefore"/>, per service.</summary>
    /// <summary>The chains still open that started in [<paramref name="startedFrom"/>, <paramref name="startedBefore"/>], per service.</summary>
    public Dictionary<string, ChainCount> OpenChainsStarted(long startedFrom, long startedBefore)
    {
        var result = new Dictionary<string, ChainCount>(StringComparer.Ordinal);
        foreach (var (service, starts) in _byService)
        {
            var view = starts.GetViewBetween(LowerBound(startedFrom), Bound(startedBefore));
            if (view.Count > 0)
            {
                result[service] = new ChainCount(view.Count, view.Min!.Name, view.Min.Timestamp);
            }
        }

        return result;
    }

    private SortedSet<EventRecord> ServiceStarts(EventRecord start)
    {
        var service = start.ServiceName ?? RollupSet.UnknownService;
        if (!_byService.TryGetValue(service, out var starts))
        {
            starts = new SortedSet<EventRecord>(StartOrder.Instance);
            _byService.Add(service, starts);
        }

        return starts;
    }

    private void Unindex(EventRecord start)
    {
        _byStart.Remove(start);
        var starts = ServiceStarts(start);
        starts.Remove(start);
        if (starts.Count == 0)
        {
            _byService.Remove(start.ServiceName ?? RollupSet.UnknownService);
        }
    }

    private void ForgetBeyondCapacity()
    {
        while (_open.Count > _capacity)
        {
            var oldest = _byStart.Min!;
            _open.Remove(oldest.CorrelationId!);
            Unindex(oldest);
        }
    }

    private void RememberEarlyEnd(string correlationId, long timestamp)
    {
        _earlyEnds[correlationId] = timestamp;
        _earlyEndOrder.Enqueue((correlationId, timestamp));
        while (_earlyEnds.Count > _capacity && _earlyEndOrder.TryDequeue(out var oldest))
        {
            if (_earlyEnds.TryGetValue(oldest.CorrelationId, out var kept) && kept == oldest.Timestamp)
            {
                _earlyEnds.Remove(oldest.CorrelationId);
            }
        }

        // Entries whose end was since matched or replaced linger in the queue; drop them once they are most of it.
        if (_earlyEndOrder.Count > 1024 && _earlyEndOrder.Count > 2 * _earlyEnds.Count)
        {
            var live = _earlyEndOrder.Where(e => _earlyEnds.TryGetValue(e.CorrelationId, out var kept) && kept == e.Timestamp).ToList();
            _earlyEndOrder.Clear();
            foreach (var entry in live)
            {
                _earlyEndOrder.Enqueue(entry);
            }
        }
    }

    // The last possible start at or before a time, as an upper bound for a view of the index.
    private static EventRecord Bound(long timestamp) =>
        new() { Timestamp = timestamp, Sequence = long.MaxValue, ReceivedAt = timestamp, Name = string.Empty, PayloadJson = [] };

    // The first possible start at or after a time, as a lower bound.
    private static EventRecord LowerBound(long timestamp) =>
        new() { Timestamp = timestamp, Sequence = long.MinValue, ReceivedAt = timestamp, Name = string.Empty, PayloadJson = [] };

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

    /// <summary>Orders chain starts by event time, then by sequence (unique).</summary>
    private sealed class StartOrder : IComparer<EventRecord>
    {
        public static readonly StartOrder Instance = new();

        public int Compare(EventRecord? x, EventRecord? y) =>
            (x!.Timestamp, x.Sequence).CompareTo((y!.Timestamp, y.Sequence));
    }
}
