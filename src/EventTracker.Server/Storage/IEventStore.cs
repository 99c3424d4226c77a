using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>
/// Where events are kept: append (one event, or a batch with its batch id; idempotent on client event ids and batch
/// ids), query (filter, time range, limit, cursor), and a change feed by position that everything derived from the
/// events (analytics, live streams) follows with a checkpoint of its own (<see cref="FeedFollower"/>). The store knows
/// nothing about its followers, and appends from another process reach them the same way. Every implementation passes
/// the same contract tests.
/// </summary>
internal interface IEventStore
{
    /// <summary>Number of events held.</summary>
    long Count { get; }

    /// <summary>Number of events evicted for capacity or age since start.</summary>
    long EvictedCount { get; }

    /// <summary>Stores one event, unless its client id was seen before; completes once the event is as durable as the store promises.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot take writes now (disk full, database down); nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the event may or may not have been stored.</exception>
    ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a batch at once, unless the batch id was seen before; events with known client ids are skipped.
    /// Either every new event of the batch is stored or none is.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store cannot take writes now; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the batch may or may not have been stored.</exception>
    ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Events matching <paramref name="filter"/> with timestamps in [<paramref name="from"/>, <paramref name="to"/>],
    /// newest first (by <see cref="EventPosition"/>), at most <paramref name="limit"/>, before <paramref name="before"/> when given.
    /// </summary>
    ValueTask<EventPage> QueryAsync(EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken);

    /// <summary>The feed's end now: every change up to it can be read, and none after it exists yet.</summary>
    ValueTask<FeedPosition> ReadHeadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="maxChanges"/> changes after <paramref name="after"/>, in the order they happened:
    /// appends in position order (positions may have gaps), and removals of events a follower at
    /// <paramref name="after"/> was given. Never skips a position that becomes readable later.
    /// </summary>
    ValueTask<FeedPage> ReadAsync(FeedPosition after, int maxChanges, CancellationToken cancellationToken);

    /// <summary>Completes once the feed holds a change after <paramref name="after"/> (at once if it does now).</summary>
    Task WaitForChangesAsync(FeedPosition after, CancellationToken cancellationToken);
}
