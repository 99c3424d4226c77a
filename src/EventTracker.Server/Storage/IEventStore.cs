using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>
/// Where events are kept: append (one event, or a batch with its batch id, deduplicated by client ids), query
/// (filter, time range, limit, cursor) and counts. What others derive from the events (analytics, live streams)
/// follows the store's change feed through <see cref="Subscribe"/>; the store itself knows nothing about them.
/// Every implementation passes the same contract tests.
/// </summary>
internal interface IEventStore
{
    /// <summary>Number of events held.</summary>
    long Count { get; }

    /// <summary>Number of events evicted for capacity or age since start.</summary>
    long EvictedCount { get; }

    /// <summary>Stores one event, unless its client id was seen before; completes once the event is as durable as the store promises.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot take writes now (disk full, directory unwritable); nothing was stored.</exception>
    ValueTask<AppendResult> AppendAsync(NewEvent newEvent);

    /// <summary>
    /// Stores a batch at once, unless the batch id was seen before; events with known client ids are skipped.
    /// Either every new event of the batch is stored or none is.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store cannot take writes now; nothing was stored.</exception>
    ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events);

    /// <summary>
    /// Events matching <paramref name="filter"/> with timestamps in [<paramref name="from"/>, <paramref name="to"/>],
    /// newest first (by <see cref="EventPosition"/>), at most <paramref name="limit"/>, before <paramref name="before"/> when given.
    /// </summary>
    EventPage Query(EventFilter filter, long? from, long? to, int limit, EventPosition? before);

    /// <summary>
    /// Evicts the events older than the configured maximum age, if there is one. Appends do this too; this is for
    /// a store that sits idle.
    /// </summary>
    void EvictExpired();

    /// <summary>
    /// Tells <paramref name="observer"/> about every event held now, then about every later append and eviction,
    /// in sequence order, with none missed or repeated. Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(IEventStoreObserver observer);
}
