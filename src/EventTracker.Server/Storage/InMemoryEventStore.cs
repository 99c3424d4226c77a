using System.Security.Cryptography;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Storage;

/// <summary>
/// The default <see cref="IEventStore"/>: a ring of at most <see cref="EventStoreOptions.Capacity"/> events in
/// arrival order (timestamps never decrease along it, so time ranges are found by binary search), an index per
/// filterable field, and rollups per time bucket plus running totals. One reader-writer lock guards it all.
/// </summary>
internal sealed class InMemoryEventStore : IEventStore, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TimeProvider _time;
    private readonly TimeSpan? _maxAge;
    private readonly long _bucketWidth;
    private readonly int _maxRememberedBatches;
    private readonly string _idPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private readonly EventRecord?[] _ring;
    private long _head; // sequence of the oldest held event
    private long _next; // sequence the next event gets
    private long _lastTimestamp;
    private long _evicted;

    private readonly EventIndex _byName = new();
    private readonly EventIndex _byService = new();
    private readonly EventIndex _byUser = new();
    private readonly EventIndex _bySession = new();
    private readonly EventIndex _byCorrelation = new();
    private readonly Dictionary<string, EventRecord> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchAppendResult> _batches = new(StringComparer.Ordinal);
    private readonly Queue<string> _batchOrder = new();

    private readonly List<RollupBucket> _buckets = [];
    private readonly RollupSet _totals = new();
    private readonly CorrelationChainTracker _chains;

    public InMemoryEventStore(IOptions<EventStoreOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (settings.RollupBucketWidth <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % settings.RollupBucketWidth.Ticks != 0)
        {
            throw new OptionsValidationException(nameof(EventStoreOptions), typeof(EventStoreOptions),
                [$"{nameof(EventStoreOptions.RollupBucketWidth)} must divide a day evenly."]);
        }

        _time = time;
        _maxAge = settings.MaxAge;
        _bucketWidth = (long)settings.RollupBucketWidth.TotalMilliseconds;
        _maxRememberedBatches = settings.MaxRememberedBatches;
        _ring = new EventRecord?[settings.Capacity];
        _chains = new CorrelationChainTracker(settings.MaxOpenChains);
    }

    public long Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _next - _head;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public long EvictedCount => Interlocked.Read(ref _evicted);

    public string FormatId(long sequence) => $"evt-{_idPrefix}-{sequence}";

    public AppendResult Append(NewEvent newEvent)
    {
        _lock.EnterWriteLock();
        try
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            EvictExpiredLocked(now);
            if (newEvent.ClientEventId is { } clientId && _byClientId.TryGetValue(clientId, out var earlier))
            {
                return new AppendResult(earlier, Replayed: true);
            }

            return new AppendResult(StoreLocked(newEvent, now), Replayed: false);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public BatchAppendResult AppendBatch(string batchId, IReadOnlyList<NewEvent> events)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_batches.TryGetValue(batchId, out var receipt))
            {
                return receipt with { Stored = [], Replayed = true };
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            EvictExpiredLocked(now);
            var stored = new List<EventRecord>(events.Count);
            foreach (var newEvent in events)
            {
                if (newEvent.ClientEventId is not { } clientId || !_byClientId.ContainsKey(clientId))
                {
                    stored.Add(StoreLocked(newEvent, now));
                }
            }

            var result = new BatchAppendResult(stored, stored.Count, Math.Max(now, _lastTimestamp), Replayed: false);
            RememberBatchLocked(batchId, result);
            return result;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public EventPage Query(EventFilter filter, long? from, long? to, int limit, long? beforeSequence)
    {
        EvictExpired();
        _lock.EnterReadLock();
        try
        {
            var lo = from is { } f ? FirstSequenceAtOrAfter(f) : _head;
            var hi = to is { } t ? FirstSequenceAtOrAfter(t + 1) : _next;
            var pageEnd = beforeSequence is { } before ? Math.Clamp(before, lo, Math.Max(lo, hi)) : hi;
            var query = new IndexedQuery(this, filter, lo, Math.Max(lo, hi), pageEnd, limit);
            return query.Run();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public RollupSet Summarize(long? from, long? to)
    {
        EvictExpired();
        _lock.EnterReadLock();
        try
        {
            var result = new RollupSet();
            var count = _next - _head;
            if (count == 0)
            {
                return result;
            }

            var oldest = At(_head).Timestamp;
            var newest = At(_next - 1).Timestamp;
            if ((from ?? long.MinValue) <= oldest && (to ?? long.MaxValue) >= newest)
            {
                _totals.MergeInto(result);
                return result;
            }

            foreach (var bucket in BucketsInRangeLocked(from, to))
            {
                bucket.Rollups.MergeInto(result);
            }

            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyList<(long DayStart, long Count)> CountPerDay(long? from, long? to)
    {
        EvictExpired();
        _lock.EnterReadLock();
        try
        {
            var days = new List<(long DayStart, long Count)>();
            const long day = 86_400_000;
            foreach (var bucket in BucketsInRangeLocked(from, to))
            {
                var dayStart = bucket.Start - Modulo(bucket.Start, day);
                if (days.Count > 0 && days[^1].DayStart == dayStart)
                {
                    days[^1] = (dayStart, days[^1].Count + bucket.Rollups.Count);
                }
                else
                {
                    days.Add((dayStart, bucket.Rollups.Count));
                }
            }

            return days;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyDictionary<string, ChainCount> OpenChainsStartedBefore(long startedBefore)
    {
        _lock.EnterReadLock();
        try
        {
            return _chains.OpenChainsStartedBefore(startedBefore);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Evicts events older than the configured maximum age.</summary>
    public void EvictExpired()
    {
        if (_maxAge is null)
        {
            return;
        }

        _lock.EnterWriteLock();
        try
        {
            EvictExpiredLocked(_time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private EventRecord StoreLocked(NewEvent newEvent, long now)
    {
        if (_next - _head == _ring.Length)
        {
            EvictOldestLocked();
        }

        var sequence = _next++;
        _lastTimestamp = Math.Max(now, _lastTimestamp);
        var record = new EventRecord
        {
            Sequence = sequence,
            Timestamp = _lastTimestamp,
            Name = _byName.Add(newEvent.Name, sequence)!,
            ServiceName = _byService.Add(newEvent.ServiceName, sequence),
            UserId = _byUser.Add(newEvent.UserId, sequence),
            SessionId = _bySession.Add(newEvent.SessionId, sequence),
            CorrelationId = _byCorrelation.Add(newEvent.CorrelationId, sequence),
            StatusCode = newEvent.StatusCode,
            ResponseTimeMs = newEvent.ResponseTimeMs,
            ClientEventId = newEvent.ClientEventId,
            UserAgent = newEvent.UserAgent,
            Referrer = newEvent.Referrer,
            UserRole = newEvent.UserRole,
            PayloadJson = newEvent.PayloadJson,
        };
        _ring[sequence % _ring.Length] = record;
        if (record.ClientEventId is { } clientId)
        {
            _byClientId[clientId] = record;
        }

        BucketFor(record.Timestamp, create: true)!.Rollups.Add(record);
        _totals.Add(record);
        _chains.Observe(record);
        return record;
    }

    private void EvictExpiredLocked(long now)
    {
        if (_maxAge is not { } maxAge)
        {
            return;
        }

        var cutoff = now - (long)maxAge.TotalMilliseconds;
        while (_next > _head && At(_head).Timestamp < cutoff)
        {
            EvictOldestLocked();
        }
    }

    private void EvictOldestLocked()
    {
        var record = At(_head);
        _ring[_head % _ring.Length] = null;
        _head++;
        _byName.RemoveOldest(record.Name, record.Sequence);
        _byService.RemoveOldest(record.ServiceName, record.Sequence);
        _byUser.RemoveOldest(record.UserId, record.Sequence);
        _bySession.RemoveOldest(record.SessionId, record.Sequence);
        _byCorrelation.RemoveOldest(record.CorrelationId, record.Sequence);
        if (record.ClientEventId is { } clientId)
        {
            _byClientId.Remove(clientId);
        }

        var bucket = BucketFor(record.Timestamp, create: false)!;
        bucket.Rollups.Remove(record);
        if (bucket.Rollups.Count == 0)
        {
            _buckets.Remove(bucket);
        }

        _totals.Remove(record);
        _chains.Evicted(record);
        Interlocked.Increment(ref _evicted);
    }

    private void RememberBatchLocked(string batchId, BatchAppendResult result)
    {
        _batches[batchId] = result with { Stored = [] };
        _batchOrder.Enqueue(batchId);
        while (_batchOrder.Count > _maxRememberedBatches)
        {
            _batches.Remove(_batchOrder.Dequeue());
        }
    }

    private RollupBucket? BucketFor(long timestamp, bool create)
    {
        var start = timestamp - Modulo(timestamp, _bucketWidth);
        if (create && (_buckets.Count == 0 || _buckets[^1].Start < start))
        {
            _buckets.Add(new RollupBucket(start));
        }

        var index = FirstBucketAtOrAfter(start);
        return index < _buckets.Count && _buckets[index].Start == start ? _buckets[index] : null;
    }

    /// <summary>The buckets overlapping [<paramref name="from"/>, <paramref name="to"/>].</summary>
    private IEnumerable<RollupBucket> BucketsInRangeLocked(long? from, long? to)
    {
        var first = from is { } f ? FirstBucketAtOrAfter(f - Modulo(f, _bucketWidth)) : 0;
        for (var i = first; i < _buckets.Count && (to is not { } t || _buckets[i].Start <= t); i++)
        {
            yield return _buckets[i];
        }
    }

    private int FirstBucketAtOrAfter(long start)
    {
        int lo = 0, hi = _buckets.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_buckets[mid].Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private long FirstSequenceAtOrAfter(long timestamp)
    {
        long lo = _head, hi = _next;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (At(mid).Timestamp < timestamp)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private EventRecord At(long sequence) => _ring[sequence % _ring.Length]!;

    private static long Modulo(long value, long divisor) => ((value % divisor) + divisor) % divisor;

    /// <summary>One run of <see cref="Query"/>, under the read lock.</summary>
    private sealed class IndexedQuery
    {
        private readonly InMemoryEventStore _store;
        private readonly EventFilter _filter;
        private readonly long _lo;
        private readonly long _hi;
        private readonly long _pageEnd;
        private readonly int _limit;
        private readonly List<SequenceList> _exact = [];
        private List<SequenceList>? _typePostings; // the names containing the filter's type

        public IndexedQuery(InMemoryEventStore store, EventFilter filter, long lo, long hi, long pageEnd, int limit)
        {
            _store = store;
            _filter = filter;
            _lo = lo;
            _hi = hi;
            _pageEnd = pageEnd;
            _limit = limit;
        }

        public EventPage Run()
        {
            if (!ResolveIndexes())
            {
                return Page([], filtered: 0, [], more: false);
            }

            if (_exact.Count == 0 && _typePostings is null)
            {
                return UnfilteredPage();
            }

            if (_exact.Count == 1 && _typePostings is null && OnlyServiceFiltered())
            {
                return SinglePostingPage(_exact[0]);
            }

            return ScannedPage();
        }

        /// <summary>Finds the posting of every exact filter; false when some value has no events at all.</summary>
        private bool ResolveIndexes()
        {
            (EventIndex Index, string? Value)[] exact =
            [
                (_store._byService, _filter.ServiceName),
                (_store._byName, _filter.EventName),
                (_store._byUser, _filter.UserId),
                (_store._byCorrelation, _filter.CorrelationId),
                (_store._bySession, _filter.SessionId),
            ];
            foreach (var (index, value) in exact)
            {
                if (value is null)
                {
                    continue;
                }

                if (index.Find(value) is not { } posting)
                {
                    return false;
                }

                _exact.Add(posting);
            }

            if (_filter.Type is { } type)
            {
                _typePostings = _store._byName.Postings
                    .Where(p => p.Key.Contains(type, StringComparison.OrdinalIgnoreCase))
                    .ToList();
                return _typePostings.Count > 0;
            }

            return true;
        }

        private bool OnlyServiceFiltered() =>
            _filter.ServiceName is not null && _filter.EventName is null && _filter.UserId is null
            && _filter.CorrelationId is null && _filter.SessionId is null;

        private EventPage UnfilteredPage()
        {
            var events = new List<EventRecord>(Math.Min(_limit, 1024));
            var sequence = _pageEnd - 1;
            for (; sequence >= _lo && events.Count < _limit; sequence--)
            {
                events.Add(_store.At(sequence));
            }

            var services = _store._byService.Postings
                .Where(p => p.CountInRange(_lo, _hi) > 0)
                .Select(p => p.Key)
                .Order(StringComparer.Ordinal)
                .ToList();
            return Page(events, _hi - _lo, services, more: sequence >= _lo);
        }

        private EventPage SinglePostingPage(SequenceList posting)
        {
            var events = new List<EventRecord>(Math.Min(_limit, 1024));
            var first = posting.LowerBound(_lo);
            var index = posting.LowerBound(_pageEnd) - 1;
            for (; index >= first && events.Count < _limit; index--)
            {
                events.Add(_store.At(posting[index]));
            }

            var filtered = posting.CountInRange(_lo, _hi);
            return Page(events, filtered, filtered > 0 ? [posting.Key] : [], more: index >= first);
        }

        private EventPage ScannedPage()
        {
            var events = new List<EventRecord>(Math.Min(_limit, 1024));
            var services = new SortedSet<string>(StringComparer.Ordinal);
            long filtered = 0;
            var more = false;
            foreach (var sequence in DriverDescending())
            {
                var record = _store.At(sequence);
                if (!_filter.Matches(record))
                {
                    continue;
                }

                filtered++;
                if (record.ServiceName is { } service)
                {
                    services.Add(service);
                }

                if (sequence < _pageEnd)
                {
                    if (events.Count < _limit)
                    {
                        events.Add(record);
                    }
                    else
                    {
                        more = true;
                    }
                }
            }

            return Page(events, filtered, [.. services], more);
        }

        /// <summary>Candidate sequences, newest first: the smallest exact posting, or the union of the names matching <c>type</c>.</summary>
        private IEnumerable<long> DriverDescending()
        {
            if (_exact.Count > 0)
            {
                var smallest = _exact.MinBy(p => p.CountInRange(_lo, _hi))!;
                return Descending(smallest);
            }

            return _typePostings!.Count == 1 ? Descending(_typePostings[0]) : MergeDescending(_typePostings);
        }

        private IEnumerable<long> Descending(SequenceList list)
        {
            var first = list.LowerBound(_lo);
            for (var i = list.LowerBound(_hi) - 1; i >= first; i--)
            {
                yield return list[i];
            }
        }

        private IEnumerable<long> MergeDescending(List<SequenceList> lists)
        {
            var heads = new PriorityQueue<(SequenceList List, int Index, int First), long>();
            foreach (var list in lists)
            {
                var first = list.LowerBound(_lo);
                var index = list.LowerBound(_hi) - 1;
                if (index >= first)
                {
                    heads.Enqueue((list, index, first), -list[index]);
                }
            }

            while (heads.TryDequeue(out var head, out var negated))
            {
                yield return -negated;
                if (head.Index - 1 >= head.First)
                {
                    heads.Enqueue((head.List, head.Index - 1, head.First), -head.List[head.Index - 1]);
                }
            }
        }

        private EventPage Page(List<EventRecord> events, long filtered, IReadOnlyList<string> services, bool more)
        {
            var total = _store._next - _store._head;
            long? oldest = total > 0 ? _store.At(_store._head).Timestamp : null;
            long? next = more && events.Count > 0 ? events[^1].Sequence : null;
            return new EventPage(events, total, filtered, services, next, oldest);
        }
    }
}
