using EventTracker.Server.Analytics;

namespace EventTracker.Server.Insights;

/// <summary>
/// Bucket-width rollups of one span, read from the projection at once, from which a service's windows of any width
/// that starts on a bucket boundary are merged: the detector compares windows that end where its current window starts.
/// </summary>
internal sealed class RollupHistory
{
    private readonly List<(long Start, RollupSet Rollups)> _buckets;
    private readonly long _bucketWidth;

    private RollupHistory(List<(long Start, RollupSet Rollups)> buckets, long bucketWidth)
    {
        _buckets = buckets;
        _bucketWidth = bucketWidth;
    }

    /// <summary>Start of the first bucket held.</summary>
    public long From => _buckets[0].Start;

    /// <summary>The buckets of [<paramref name="from"/>, <paramref name="to"/>] (of <paramref name="serviceName"/> only, when given).</summary>
    public static RollupHistory Read(AnalyticsProjection projection, long from, long to, string? serviceName = null) =>
        new(projection.Series(from, to, projection.BucketWidth, serviceName), projection.BucketWidth);

    /// <summary>Every service with events in the span.</summary>
    public IEnumerable<string> Services => _buckets.SelectMany(b => b.Rollups.Services.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>Start of the first bucket in which <paramref name="service"/> has events, if any.</summary>
    public long? FirstSeen(string service)
    {
        foreach (var (start, rollups) in _buckets)
        {
            if (rollups.Services.ContainsKey(service))
            {
                return start;
            }
        }

        return null;
    }

    /// <summary>The service's events in the buckets starting in [<paramref name="from"/>, <paramref name="to"/>), merged; null when there are none.</summary>
    public ServiceRollup? Window(string service, long from, long to)
    {
        ServiceRollup? merged = null;
        var first = (int)Math.Max(0, (from - From) / _bucketWidth);
        for (var i = first; i < _buckets.Count && _buckets[i].Start < to; i++)
        {
            if (_buckets[i].Rollups.Services.TryGetValue(service, out var rollup))
            {
                merged ??= new ServiceRollup(service);
                merged.Merge(rollup);
            }
        }

        return merged;
    }
}
