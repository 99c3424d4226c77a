using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Rollups of the held events per fixed-width bucket of the time they happened, plus running totals, so ranged analytics merge a few
/// buckets instead of scanning events; and <see cref="SlidingWindow"/>s of the spans asked for (the suggestion rules'),
/// so the ranges every track answer needs cost a copy, not a merge of their buckets.
/// Not thread-safe: <see cref="AnalyticsProjection"/> guards it.
/// </summary>
internal sealed class RollupTimeline
{
    private const long DayMs = 86_400_000;
    private const long HourMs = 3_600_000;

    private readonly List<RollupBucket> _buckets = [];
    private readonly RollupSet _totals = new();
    private readonly long _bucketWidth;
    private readonly Dictionary<long, SlidingWindow> _windows = [];

    public RollupTimeline(TimeSpan bucketWidth, IEnumerable<TimeSpan> windows)
    {
        if (bucketWidth <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % bucketWidth.Ticks != 0)
        {
            throw new ArgumentException($"{nameof(EventStoreOptions.RollupBucketWidth)} must divide a day evenly.", nameof(bucketWidth));
        }

        _bucketWidth = (long)bucketWidth.TotalMilliseconds;
        foreach (var window in windows)
        {
            _windows.TryAdd((long)window.TotalMilliseconds, new SlidingWindow((long)window.TotalMilliseconds));
        }
    }

    public void Add(EventRecord record)
    {
        var start = BucketStart(record.Timestamp);
        BucketAt(start).Rollups.Add(record);
        _totals.Add(record);
        foreach (var window in _windows.Values)
        {
            if (window.Holds(start))
            {
                window.Add(record);
            }
        }
    }

    /// <summary>Adds rollups a store kept for the bucket holding <paramref name="timestamp"/> (one of its buckets may be part of one of these).</summary>
    public void AddStored(long timestamp, RollupSet rollups)
    {
        var start = BucketStart(timestamp);
        rollups.MergeInto(BucketAt(start).Rollups);
        rollups.MergeInto(_totals);
        foreach (var window in _windows.Values)
        {
            if (window.Holds(start))
            {
                rollups.MergeInto(window.Live);
            }
        }
    }

    public void Remove(EventRecord record)
    {
        var start = BucketStart(record.Timestamp);
        foreach (var window in _windows.Values)
        {
            if (window.Holds(start))
            {
                window.Remove(record);
            }
        }

        var bucket = Find(start)!;
        bucket.Rollups.Remove(record);
        if (bucket.Rollups.Count == 0)
        {
            _buckets.Remove(bucket);
        }

        _totals.Remove(record);
    }

    private RollupBucket BucketAt(long start)
    {
        if (_buckets.Count == 0 || _buckets[^1].Start < start)
        {
            var next = new RollupBucket(start);
            _buckets.Add(next);
            return next;
        }

        if (Find(start) is { } existing)
        {
            return existing;
        }

        // An event from before the newest bucket with no bucket of its own yet: backfilled or late.
        var bucket = new RollupBucket(start);
        _buckets.Insert(FirstAtOrAfter(start), bucket);
        return bucket;
    }

    /// <summary>Takes out the buckets of everything that happened before <paramref name="timestamp"/>, a bucket start.</summary>
    public void RemoveBefore(long timestamp)
    {
        var gone = FirstAtOrAfter(timestamp);
        foreach (var bucket in _buckets.Take(gone))
        {
            foreach (var window in _windows.Values)
            {
                if (window.Holds(bucket.Start))
                {
                    bucket.Rollups.SubtractFrom(window.Live);
                }
            }

            bucket.Rollups.SubtractFrom(_totals);
        }

        _buckets.RemoveRange(0, gone);
    }

    /// <summary>
    /// Merges the buckets of everything before <paramref name="before"/>, an hour boundary, into one bucket per hour:
    /// history that no window reaches any more is kept at hour resolution. The totals stay as they are; every window
    /// is moved to <paramref name="now"/> first, so none still holds a bucket that is merged.
    /// </summary>
    public void Coarsen(long before, long now)
    {
        foreach (var span in _windows.Keys)
        {
            Moved(TimeSpan.FromMilliseconds(span), now);
        }

        var end = FirstAtOrAfter(before);
        var hours = new List<RollupBucket>();
        foreach (var bucket in _buckets.Take(end))
        {
            var hour = bucket.Start - Modulo(bucket.Start, HourMs);
            if (hours.Count > 0 && hours[^1].Start == hour)
            {
                bucket.Rollups.MergeInto(hours[^1].Rollups);
            }
            else if (bucket.Start == hour)
            {
                hours.Add(bucket);
            }
            else
            {
                var merged = new RollupBucket(hour);
                bucket.Rollups.MergeInto(merged.Rollups);
                hours.Add(merged);
            }
        }

        _buckets.RemoveRange(0, end);
        _buckets.InsertRange(0, hours);
    }

    /// <summary>Rollups (of <paramref name="serviceName"/> only, when given) of [<paramref name="from"/>, <paramref name="to"/>]: exact when the range covers every bucket, else to bucket resolution.</summary>
    /// <remarks>
    /// Given <paramref name="now"/>, a range from the start of one of the windows ending then to the end copies that
    /// window instead of merging its buckets (<c>from=24h</c> is the suggestions' window).
    /// </remarks>
    public RollupSet Summarize(long? from, long? to, string? serviceName = null, long? now = null)
    {
        var result = new RollupSet();
        if (_buckets.Count == 0)
        {
            return result;
        }

        var toEnd = to is not { } t || t >= _buckets[^1].Start;
        if ((from is not { } f || BucketStart(f) <= _buckets[0].Start) && toEnd)
        {
            _totals.MergeInto(result, serviceName);
            return result;
        }

        if (toEnd && now is { } current && from is { } start)
        {
            foreach (var span in _windows.Keys)
            {
                if (BucketStart(current - span) == BucketStart(start))
                {
                    return Window(TimeSpan.FromMilliseconds(span), current, serviceName);
                }
            }
        }

        foreach (var bucket in InRange(from, to))
        {
            bucket.Rollups.MergeInto(result, serviceName);
        }

        return result;
    }

    /// <summary>
    /// Rollups (of <paramref name="serviceName"/> only, when given) of the last <paramref name="span"/> (one of the
    /// windows this timeline was made with) ending at <paramref name="now"/>, like <see cref="Summarize"/> of that range.
    /// </summary>
    public RollupSet Window(TimeSpan span, long now, string? serviceName) => Moved(span, now).Copy(serviceName);

    /// <summary>The live rollups of that window, for reading while the timeline is locked (never to keep).</summary>
    public RollupSet LiveWindow(TimeSpan span, long now) => Moved(span, now).Live;

    private SlidingWindow Moved(TimeSpan span, long now)
    {
        var window = _windows[(long)span.TotalMilliseconds];
        window.MoveTo(BucketStart(now - window.Span), _buckets, FirstAtOrAfter(window.Start), from => Summarize(from, null));
        return window;
    }

    /// <summary>The width of a bucket in milliseconds.</summary>
    public long BucketWidth => _bucketWidth;

    /// <summary>
    /// Rollups (of <paramref name="serviceName"/> only, when given) per slot of <paramref name="width"/> milliseconds, a
    /// multiple of the bucket width, for every slot from the one holding <paramref name="from"/> to the one holding
    /// <paramref name="to"/>, empty slots included, oldest first.
    /// </summary>
    public List<(long Start, RollupSet Rollups)> Series(long from, long to, long width, string? serviceName)
    {
        var first = from - Modulo(from, width);
        var slots = new List<(long Start, RollupSet Rollups)>();
        for (var start = first; start <= to; start += width)
        {
            slots.Add((start, new RollupSet()));
        }

        foreach (var bucket in InRange(first, to))
        {
            bucket.Rollups.MergeInto(slots[(int)((bucket.Start - first) / width)].Rollups, serviceName);
        }

        return slots;
    }

    /// <summary>
    /// Events (of <paramref name="serviceName"/> only, when given) per UTC day in [<paramref name="from"/>,
    /// <paramref name="to"/>] (bucket resolution), oldest first; days without any are left out.
    /// </summary>
    public List<(long DayStart, long Count)> CountPerDay(long? from, long? to, string? serviceName = null)
    {
        var days = new List<(long DayStart, long Count)>();
        foreach (var bucket in InRange(from, to))
        {
            var count = serviceName is null ? bucket.Rollups.Count : bucket.Rollups.Services.GetValueOrDefault(serviceName)?.Count ?? 0;
            if (count == 0)
            {
                continue;
            }

            var dayStart = bucket.Start - Modulo(bucket.Start, DayMs);
            if (days.Count > 0 && days[^1].DayStart == dayStart)
            {
                days[^1] = (dayStart, days[^1].Count + count);
            }
            else
            {
                days.Add((dayStart, count));
            }
        }

        return days;
    }

    private IEnumerable<RollupBucket> InRange(long? from, long? to)
    {
        var first = from is { } f ? FirstAtOrAfter(BucketStart(f)) : 0;
        for (var i = first; i < _buckets.Count && (to is not { } t || _buckets[i].Start <= t); i++)
        {
            yield return _buckets[i];
        }
    }

    private RollupBucket? Find(long start)
    {
        var index = FirstAtOrAfter(start);
        return index < _buckets.Count && _buckets[index].Start == start ? _buckets[index] : null;
    }

    private int FirstAtOrAfter(long start) =>
        (int)SortedSearch.LowerBound(0, _buckets.Count, (Buckets: _buckets, Start: start), static (state, i) => state.Buckets[(int)i].Start < state.Start);

    private long BucketStart(long timestamp) => timestamp - Modulo(timestamp, _bucketWidth);

    private static long Modulo(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
