using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Rollups of the events a filter selects, for a filter the projection's rollups cannot answer: one on more than the
/// service (they keep services and names apart, not users, sessions, correlation ids, errors or status classes). The
/// matching events are read through the store's query, as <c>GET /api/events</c> reads them on every store, and each is
/// added to the <see cref="RollupSet"/> of its bucket as the projection adds it: the same counts, the same errors and
/// the same latency bins, in buckets of the projection's width, so a filtered answer for a set of events is the answer
/// the rollups give for that set. At most <see cref="DefaultMaxEvents"/> events are read, newest first; an answer cut
/// short there says so.
/// </summary>
internal sealed class FilteredAnalytics
{
    /// <summary>Most events one answer reads.</summary>
    public const int DefaultMaxEvents = 200_000;

    // Events read per query: only one page of events is held at a time, never the whole scan.
    private const int PageSize = 10_000;

    private readonly IEventStore _store;
    private readonly AnalyticsProjection _projection;
    private readonly int _maxEvents;

    public FilteredAnalytics(IEventStore store, AnalyticsProjection projection)
        : this(store, projection, DefaultMaxEvents)
    {
    }

    /// <param name="store">Where the matching events are read.</param>
    /// <param name="projection">Whose bucket width the rollups take.</param>
    /// <param name="maxEvents">Most events one answer reads.</param>
    internal FilteredAnalytics(IEventStore store, AnalyticsProjection projection, int maxEvents)
    {
        _store = store;
        _projection = projection;
        _maxEvents = maxEvents;
    }

    /// <summary>
    /// The rollups, per bucket, of the events <paramref name="filter"/> selects in [<paramref name="from"/>,
    /// <paramref name="to"/>] widened to whole buckets, the resolution the projection answers ranges at; and whether more
    /// events matched than were read.
    /// </summary>
    public async ValueTask<(RollupTimeline Timeline, bool Truncated)> RollupsAsync(
        EventFilter filter, long? from, long? to, CancellationToken cancellationToken)
    {
        var width = _projection.BucketWidth;
        var first = from is { } start ? BucketStart(start, width) : (long?)null;
        var last = to is { } end ? BucketStart(end, width) + width - 1 : (long?)null;
        var buckets = new Dictionary<long, RollupSet>();
        var read = 0;
        EventPosition? before = null;
        do
        {
            var page = await _store.QueryAsync(filter, first, last, Math.Min(PageSize, _maxEvents - read), before, cancellationToken);
            foreach (var record in page.Events)
            {
                var bucket = BucketStart(record.Timestamp, width);
                if (!buckets.TryGetValue(bucket, out var rollups))
                {
                    rollups = new RollupSet();
                    buckets.Add(bucket, rollups);
                }

                rollups.Add(record);
            }

            read += page.Events.Count;
            before = page.NextBefore;
        }
        while (before is not null && read < _maxEvents);

        // Added oldest bucket first: the events came newest first, and a timeline appends in time order.
        var timeline = new RollupTimeline(TimeSpan.FromMilliseconds(width), []);
        foreach (var (bucket, rollups) in buckets.OrderBy(b => b.Key))
        {
            timeline.AddStored(bucket, rollups);
        }

        return (timeline, before is not null);
    }

    private static long BucketStart(long timestamp, long width) => timestamp - (((timestamp % width) + width) % width);
}
