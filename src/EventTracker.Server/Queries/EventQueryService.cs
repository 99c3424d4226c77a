using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Queries;

/// <summary>
/// Retrieval of held events, shaped once for every caller: <c>GET /api/events</c>, and the MCP tools that read events.
/// </summary>
internal sealed class EventQueryService
{
    private readonly IEventStore _store;
    private readonly TimeProvider _time;

    public EventQueryService(IEventStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Events matching <paramref name="filter"/> in [<paramref name="from"/>, <paramref name="to"/>], newest first.</summary>
    public async ValueTask<EventsResponse> QueryAsync(
        EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        EventPage page;
        using (Telemetry.ServerActivities.Query())
        {
            page = await _store.QueryAsync(filter, from, to, limit, before, cancellationToken);
        }

        return new EventsResponse
        {
            Events = page.Events.Select(e => e.ToStoredEvent()).ToList(),
            Total = page.Total,
            Filtered = page.Filtered,
            Services = page.Services,
            TimeRange = new TimeRange
            {
                From = DateTimeOffset.FromUnixTimeMilliseconds(from ?? page.EarliestTimestamp ?? now.ToUnixTimeMilliseconds()),
                To = to is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : now,
            },
            NextCursor = page.NextBefore is { } next ? EventCursor.Encode(next) : null,
        };
    }
}
