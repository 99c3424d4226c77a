namespace EventTracker.Server.Analytics;

/// <summary>
/// Running rollups of the events in the window of a fixed span that ends now, from the start of the bucket it begins
/// in (the same as <see cref="RollupTimeline.Summarize"/> of that range): events are added and removed as they come
/// and go, and the window moves forward by subtracting the buckets it leaves, so reading it costs a copy of the
/// rollups asked for, not a merge of every bucket. Not thread-safe: <see cref="AnalyticsProjection"/> guards it.
/// </summary>
internal sealed class SlidingWindow
{
    private RollupSet _rollups = new();

    public SlidingWindow(long span) => Span = span;

    public long Span { get; }

    /// <summary>The first bucket start inside the window; events from before it are not held.</summary>
    public long Start { get; private set; } = long.MinValue;

    public bool Holds(long bucketStart) => bucketStart >= Start;

    public void Add(EventTracker.Server.Storage.EventRecord record) => _rollups.Add(record);

    public void Remove(EventTracker.Server.Storage.EventRecord record) => _rollups.Remove(record);

    /// <summary>Moves the window to start at <paramref name="start"/>, given the buckets in time order.</summary>
    public void MoveTo(long start, IReadOnlyList<RollupBucket> buckets, int firstHeld, Func<long, RollupSet> rebuild)
    {
        if (start < Start)
        {
            // The clock went back (only test clocks do): start over from the buckets.
            _rollups = rebuild(start);
        }
        else
        {
            for (var i = firstHeld; i < buckets.Count && buckets[i].Start < start; i++)
            {
                buckets[i].Rollups.SubtractFrom(_rollups);
            }
        }

        Start = start;
    }

    /// <summary>The rollups themselves, for reading under the projection's lock.</summary>
    public RollupSet Live => _rollups;

    /// <summary>A copy of the rollups (of <paramref name="serviceName"/> only, when given).</summary>
    public RollupSet Copy(string? serviceName)
    {
        var result = new RollupSet();
        _rollups.MergeInto(result, serviceName);
        return result;
    }
}
