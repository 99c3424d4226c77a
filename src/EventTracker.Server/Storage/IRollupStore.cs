namespace EventTracker.Server.Storage;

/// <summary>
/// A store that keeps analytics rollups itself, maintained with each append (PostgreSQL), so a node starting over
/// millions of events reads a few rows per minute of history instead of every event.
/// </summary>
internal interface IRollupStore
{
    /// <summary>The width of the stored buckets; a node's own buckets must be a multiple of it.</summary>
    TimeSpan RollupBucketWidth { get; }

    /// <summary>
    /// Every stored rollup, as of one feed position (they count exactly the events up to it): per stored bucket from
    /// <paramref name="detailedFrom"/> (an hour boundary) on, merged per hour before it.
    /// </summary>
    Task<StoredRollups> ReadRollupsAsync(long detailedFrom, CancellationToken cancellationToken);

    /// <summary>
    /// The events that happened since <paramref name="since"/> and carry a correlation or session id, up to the feed
    /// position <paramref name="upTo"/>, in position order: what chains and sessions are followed from. Only the
    /// columns that say what happened, when, where and to whom are read (no payload, text columns or client event id).
    /// </summary>
    IAsyncEnumerable<EventRecord> ReadLinkedAsync(long since, FeedPosition upTo, CancellationToken cancellationToken);
}
