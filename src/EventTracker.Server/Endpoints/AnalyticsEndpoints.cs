using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Analytics;
using EventTracker.Server.Http;

namespace EventTracker.Server.Endpoints;

/// <summary><c>GET /api/events/services</c>, <c>/statistics</c> and <c>/suggestions</c>.</summary>
internal static class AnalyticsEndpoints
{
    private const int DefaultSuggestions = 10;
    private const int MaxSuggestions = 100;

    public static void MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Analytics").RequireAuthorization(Scopes.Read).RequireRateLimiting(ReadRateLimitPolicy.Name);
        group.MapGet(EventTrackerRoutes.Services, GetServices)
            .WithName("GetServices")
            .WithSummary("Analytics per service over a time range.")
            .Produces<ServicesResponse>()
            .ProducesValidationProblem();
        group.MapGet(EventTrackerRoutes.Statistics, GetStatistics)
            .WithName("GetStatistics")
            .WithSummary("Statistics of the held events, optionally within a time range.")
            .Produces<EventStatistics>()
            .ProducesValidationProblem();
        group.MapGet(EventTrackerRoutes.Suggestions, GetSuggestions)
            .WithName("GetSuggestions")
            .WithSummary("Suggestions derived from event patterns.")
            .Produces<SuggestionsResponse>()
            .ProducesValidationProblem();
    }

    private static IResult GetServices(HttpRequest request, ServiceAnalytics analytics, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var (from, to) = query.TimeRange();
        var serviceName = query.String("serviceName");
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(analytics.GetServices(from, to, serviceName), EventTrackerJsonContext.Default.ServicesResponse);
    }

    private static IResult GetStatistics(HttpRequest request, ServiceAnalytics analytics, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var (from, to) = query.TimeRange();
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(analytics.GetStatistics(from, to), EventTrackerJsonContext.Default.EventStatistics);
    }

    private static IResult GetSuggestions(HttpRequest request, SuggestionEngine suggestions, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var serviceName = query.String("serviceName");
        var eventName = query.String("eventName");
        var userId = query.String("userId");
        var limit = query.Limit("limit", DefaultSuggestions, 1, MaxSuggestions);
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(suggestions.Query(serviceName, eventName, userId, limit), EventTrackerJsonContext.Default.SuggestionsResponse);
    }
}
