using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Rollups of the held events per fixed-width bucket of the time they happened, plus running totals, so ranged analytics merge a few
/// buckets instead of scanning events. Not thread-safe: <see cref="AnalyticsProjection"/> guards it.
/// </summary>
internal sealed class RollupTimeline
{
    private const long DayMs = 86_400_000;

    private readonly List<RollupBucket> _buckets = [];
    private readonly RollupSet _totals = new();
    private readonly long _bucketWidth;

    public RollupTimeline(TimeSpan bucketWidth)
    {
        if (bucketWidth <= TimeSpan.Zero || TimeSpan.FromDays(1).Ticks % bucketWidth.Ticks != 0)
        {
            throw new ArgumentException($"{nameof(EventStoreOptions.RollupBucketWidth)} must divide a day evenly.", nameof(bucketWidth));
        }

        _bucketWidth = (long)bucketWidth.TotalMilliseconds;
    }

    public void Add(EventRecord record)
    {
        var start = BucketStart(record.Timestamp);
        RollupBucket bucket;
        if (_buckets.Count == 0 || _buckets[^1].Start < start)
        {
            bucket = new RollupBucket(start);
            _buckets.Add(bucket);
        }
        else if (Find(start) is { } existing)
        {
            bucket = existing;
        }
        else
        {
            // An event from before the newest bucket with no bucket of its own yet: backfilled or late.
            bucket = new RollupBucket(start);
            _buckets.Insert(FirstAtOrAfter(start), bucket);
        }

        bucket.Rollups.Add(record);
        _totals.Add(record);
    }

    public void Remove(EventRecord record)
    {
        var bucket = Find(BucketStart(record.Timestamp))!;
        bucket.Rollups.Remove(record);
        if (bucket.Rollups.Count == 0)
        {
            _buckets.Remove(bucket);
        }

        _totals.Remove(record);
    }

    /// <summary>Rollups of [<paramref name="from"/>, <paramref name="to"/>]: exact when the range covers every bucket, else to bucket resolution.</summary>
    public RollupSet Summarize(long? from, long? to)
    {
        var result = new RollupSet();
        if (_buckets.Count == 0)
        {
            return result;
        }

        if ((from is not { } f || BucketStart(f) <= _buckets[0].Start) && (to is not { } t || t >= _buckets[^1].Start))
        {
            _totals.MergeInto(result);
            return result;
        }

        foreach (var bucket in InRange(from, to))
        {
            bucket.Rollups.MergeInto(result);
        }

        return result;
    }

    /// <summary>Events per UTC day in [<paramref name="from"/>, <paramref name="to"/>] (bucket resolution), oldest first.</summary>
    public List<(long DayStart, long Count)> CountPerDay(long? from, long? to)
    {
        var days = new List<(long DayStart, long Count)>();
        foreach (var bucket in InRange(from, to))
        {
            var dayStart = bucket.Start - Modulo(bucket.Start, DayMs);
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
