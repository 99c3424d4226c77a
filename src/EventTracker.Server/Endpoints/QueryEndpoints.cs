using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Queries;

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

    private static async Task<IResult> GetEvents(HttpRequest request, EventQueryService events, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var filter = query.Filter();
        var limit = query.Limit("limit", EventQuery.DefaultLimit, 1, EventQuery.MaxLimit);
        var (from, to) = query.TimeRange();
        var cursor = query.Cursor("cursor");
        if (query.Errors.Any)
        {
            return Problems.BadRequest(query.Errors);
        }

        return TypedResults.Json(await events.QueryAsync(filter, from, to, limit, cursor, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.EventsResponse);
    }
}
