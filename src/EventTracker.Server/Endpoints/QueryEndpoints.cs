using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Queries;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Endpoints;

/// <summary>
/// <c>GET /api/events</c>: filtered retrieval, newest first, with cursor paging; <c>GET /api/events/trace/{correlationId}</c>:
/// one correlation id's events as a timeline.
/// </summary>
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
        app.MapGet(EventTrackerRoutes.Trace, GetTrace)
            .WithTags("Retrieval")
            .WithName("GetTrace")
            .WithSummary("Every event of one correlation id in the order they happened (event time, then arrival), each with its step number, "
                + "the time since the first step and the gap before it; the services crossed, the duration and the first failing step. At most 500 steps (the newest).")
            .Produces<CorrelationTraceResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
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

    private static async Task<IResult> GetTrace(string correlationId, HttpRequest request, CorrelationTrace trace)
    {
        var errors = new ValidationErrors();
        correlationId = PercentEncoding.PathValue(request, correlationId, "correlationId", errors);
        EventValidation.ValidateIdentifier(correlationId, "correlationId", errors, EventValidation.MaxNameLength);
        if (errors.Any)
        {
            return Problems.BadRequest(errors);
        }

        return await trace.TraceAsync(correlationId, request.HttpContext.RequestAborted) is { } timeline
            ? TypedResults.Json(timeline, EventTrackerJsonContext.Default.CorrelationTraceResponse)
            : Problems.NotFound("correlationId", "No held event has this correlation id.");
    }
}
