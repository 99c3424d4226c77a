using EventTracker.Contracts;
using EventTracker.Server.Analytics;

namespace EventTracker.Server.Storage;

/// <summary>Holds events, answers filtered queries through indexes, and keeps rollups for analytics.</summary>
internal interface IEventStore
{
    /// <summary>Number of events held.</summary>
    long Count { get; }

    /// <summary>Number of events evicted for capacity or age since start.</summary>
    long EvictedCount { get; }

    /// <summary>Stores one event, unless its client id was seen before.</summary>
    AppendResult Append(NewEvent newEvent);

    /// <summary>Stores a batch at once, unless the batch id was seen before; events with known client ids are skipped.</summary>
    BatchAppendResult AppendBatch(string batchId, IReadOnlyList<NewEvent> events);

    /// <summary>
    /// Events matching <paramref name="filter"/> with timestamps in [<paramref name="from"/>, <paramref name="to"/>],
    /// newest first, at most <paramref name="limit"/>, older than <paramref name="beforeSequence"/> when given.
    /// </summary>
    EventPage Query(EventFilter filter, long? from, long? to, int limit, long? beforeSequence);

    /// <summary>
    /// Rollups of the events in [<paramref name="from"/>, <paramref name="to"/>]: exact over all held events,
    /// otherwise to the resolution of the rollup buckets.
    /// </summary>
    RollupSet Summarize(long? from, long? to);

    /// <summary>Events per UTC day in [<paramref name="from"/>, <paramref name="to"/>] (bucket resolution), oldest day first, as (day start in ms, count).</summary>
    IReadOnlyList<(long DayStart, long Count)> CountPerDay(long? from, long? to);

    /// <summary>Correlation chains that started at or before <paramref name="startedBefore"/> and have not finished, per service.</summary>
    IReadOnlyDictionary<string, ChainCount> OpenChainsStartedBefore(long startedBefore);

    /// <summary>The public id of the event with <paramref name="sequence"/>.</summary>
    string FormatId(long sequence);
}
