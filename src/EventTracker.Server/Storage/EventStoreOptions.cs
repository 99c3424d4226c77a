using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Storage;

/// <summary>Where and how events are kept (configuration section <c>EventTracker:Store</c>).</summary>
public sealed class EventStoreOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Store";

    /// <summary>The data directory used when none is configured: <c>eventtracker-data</c> in the working directory.</summary>
    public const string DefaultDataDirectory = "eventtracker-data";

    /// <summary>The name of the connection string (<c>ConnectionStrings:EventTracker</c>) of the PostgreSQL provider.</summary>
    public const string ConnectionStringName = "EventTracker";

    /// <summary>Where events are kept. Default <see cref="StoreProvider.Embedded"/>.</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Embedded;

    /// <summary>Most events held at once; the oldest are evicted beyond it. Default 1,000,000.</summary>
    [Range(1, 100_000_000)]
    public int Capacity { get; set; } = 1_000_000;

    /// <summary>Events older than this are evicted; <see langword="null"/> (the default) keeps them until capacity forces them out.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Width of the analytics rollup buckets, and so the resolution of ranged analytics. Must divide a day. Default one minute.</summary>
    public TimeSpan RollupBucketWidth { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// With PostgreSQL, how far back a node keeps its analytics rollups at <see cref="RollupBucketWidth"/> in memory;
    /// older history is kept per hour, so a node's memory is bounded by this span and the hours held, not by the
    /// events in the database. At least the longest suggestion window plus an hour is kept whatever this says.
    /// Default 25 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan DetailedRollupsFor { get; set; } = TimeSpan.FromHours(25);

    /// <summary>Most correlation chains followed at once for the unfinished-chain suggestion. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxOpenChains { get; set; } = 100_000;

    /// <summary>How many batch ids are remembered to acknowledge a replayed batch. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxRememberedBatches { get; set; } = 100_000;

    /// <summary>
    /// The directory of the event log, relative to the working directory or absolute. Default
    /// <see cref="DefaultDataDirectory"/>; empty keeps events in memory only (as does the <c>--in-memory</c> option).
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>When appended events reach the disk. Default <see cref="Storage.FlushMode.Sync"/>: a 2xx means they are on disk.</summary>
    public FlushMode FlushMode { get; set; } = FlushMode.Sync;

    /// <summary>With <see cref="Storage.FlushMode.Interval"/>, how often the log is flushed to disk. Default 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A log segment is closed and a new one started once it reaches this size. Default 64 MiB.</summary>
    [Range(4096, 1L << 40)]
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A log segment is closed and a new one started once it is this old. Default one hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan SegmentMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Events waiting to be written, at most; beyond it, appends are refused at once (503 with <c>Retry-After</c>) rather
    /// than wait ever longer behind a disk that cannot keep up. A single batch is always taken when nothing waits.
    /// Default 100,000.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxQueuedEvents { get; set; } = 100_000;

    /// <summary>Whether <see cref="DataDirectory"/> names a directory, so events are kept on disk.</summary>
    public bool IsDurable => !string.IsNullOrWhiteSpace(DataDirectory);
}
