using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Storage;

/// <summary>Bounds and granularity of the in-memory event store (configuration section <c>EventTracker:Store</c>).</summary>
public sealed class EventStoreOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Store";

    /// <summary>Most events held at once; the oldest are evicted beyond it. Default 1,000,000.</summary>
    [Range(1, 100_000_000)]
    public int Capacity { get; set; } = 1_000_000;

    /// <summary>Events older than this are evicted; <see langword="null"/> (the default) keeps them until capacity forces them out.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Width of the analytics rollup buckets, and so the resolution of ranged analytics. Must divide a day. Default one minute.</summary>
    public TimeSpan RollupBucketWidth { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most correlation chains followed at once for the unfinished-chain suggestion. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxOpenChains { get; set; } = 100_000;

    /// <summary>How many batch ids are remembered to acknowledge a replayed batch. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxRememberedBatches { get; set; } = 100_000;
}
