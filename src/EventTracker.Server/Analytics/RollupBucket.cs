namespace EventTracker.Server.Analytics;

/// <summary>The rollups of the events in one fixed-width time bucket.</summary>
internal sealed class RollupBucket
{
    public RollupBucket(long start) => Start = start;

    /// <summary>Start of the bucket, in milliseconds since the Unix epoch.</summary>
    public long Start { get; }

    public RollupSet Rollups { get; } = new();
}
