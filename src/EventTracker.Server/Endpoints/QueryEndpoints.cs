using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Endpoints;

/// <summary><c>GET /api/events</c>: filtered retrieval, newest first, with cursor paging.</summary>
internal static class QueryEndpoints
{
    public static void MapQueryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(EventTrackerRoutes.Events, GetEvents)
            .WithTags("Retrieval")
            .WithName("GetEvents")
            .WithSummary("Events matching every given filter, newest first; follow nextCursor for older pages.")
            .Produces<EventsResponse>()
            .ProducesValidationProblem()
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);
    }

    private static IResult GetEvents(HttpRequest request, IEventStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var query = new QueryReader(request, now);
        var filter = query.Filter();
        var limit = query.Limit("limit", EventQuery.DefaultLimit, 1, EventQuery.MaxLimit);
        var (from, to) = query.TimeRange();
        var cursor = query.Cursor("cursor");
        if (query.Errors.Any)
        {
            return Problems.BadRequest(query.Errors);
        }

        var page = store.Query(filter, from, to, limit, cursor);
        var response = new EventsResponse
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
        return TypedResults.Json(response, EventTrackerJsonContext.Default.EventsResponse);
    }
}
