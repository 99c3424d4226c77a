using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Analytics;
using EventTracker.Server.Http;
using EventTracker.Server.Insights;

namespace EventTracker.Server.Endpoints;

/// <summary><c>GET /api/events/services</c>, <c>/statistics</c>, <c>/insights</c>, <c>/timeseries</c> and <c>/suggestions</c>.</summary>
internal static class AnalyticsEndpoints
{
    private const int DefaultSuggestions = 10;
    private const int MaxSuggestions = 100;

    public static void MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Analytics").RequireAuthorization(Scopes.Read).RequireRateLimiting(ReadRateLimitPolicy.Name);
        group.MapGet(EventTrackerRoutes.Services, GetServices)
            .WithName("GetServices")
            .WithSummary("Analytics per service over a time range, of the events matching every given filter (as GET /api/events); truncated when a filter on more than the service had more than 200,000 matches.")
            .Produces<ServicesResponse>()
            .ProducesValidationProblem();
        group.MapGet(EventTrackerRoutes.Statistics, GetStatistics)
            .WithName("GetStatistics")
            .WithSummary("Statistics of the held events matching every given filter (as GET /api/events), optionally within a time range; truncated as for /services.")
            .Produces<EventStatistics>()
            .ProducesValidationProblem();
        group.MapGet(EventTrackerRoutes.Insights, GetInsights)
            .WithName("GetInsights")
            .WithSummary("Insights (the guide's AIInsight with evidence): anomalies against each service's own baseline, security and user-experience findings; open ones first.")
            .Produces<InsightsResponse>()
            .ProducesValidationProblem();
        group.MapGet(EventTrackerRoutes.TimeSeries, GetTimeSeries)
            .WithName("GetTimeSeries")
            .WithSummary("A service's history (all services' when none is named), of the events matching every given filter (as GET /api/events): volume, errors and response-time percentiles per bucket; the last 24 hours unless from/to say otherwise; truncated as for /services.")
            .Produces<TimeSeriesResponse>()
            .ProducesValidationProblem();
        group.MapGet(EventTrackerRoutes.Suggestions, GetSuggestions)
            .WithName("GetSuggestions")
            .WithSummary("Suggestions derived from event patterns.")
            .Produces<SuggestionsResponse>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> GetServices(HttpRequest request, ServiceAnalytics analytics, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var filter = query.Filter();
        var (from, to) = query.TimeRange();
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(await analytics.GetServicesAsync(filter, from, to, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.ServicesResponse);
    }

    private static async Task<IResult> GetStatistics(HttpRequest request, ServiceAnalytics analytics, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var filter = query.Filter();
        var (from, to) = query.TimeRange();
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(await analytics.GetStatisticsAsync(filter, from, to, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.EventStatistics);
    }

    private static async Task<IResult> GetInsights(HttpRequest request, InsightEngine insights, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var serviceName = query.String("serviceName");
        var type = query.String("type");
        var (from, to) = query.TimeRange();
        var limit = query.Limit("limit", InsightEngine.DefaultQueryLimit, 1, InsightEngine.MaxQueryLimit);
        if (type is not null && !InsightTypes.All.Contains(type, StringComparer.Ordinal))
        {
            query.Errors.Add("type", $"Must be one of: {string.Join(", ", InsightTypes.All)}.");
        }

        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(await insights.QueryAsync(serviceName, type, from, to, limit, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.InsightsResponse);
    }

    private static async Task<IResult> GetTimeSeries(HttpRequest request, ServiceAnalytics analytics, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var query = new QueryReader(request, now);
        var filter = query.Filter();
        var (from, to) = query.TimeRange();
        var end = to ?? now.ToUnixTimeMilliseconds();
        var start = from ?? end - (long)TimeSpan.FromHours(24).TotalMilliseconds;
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : start > end
                ? Problems.BadRequest("from", "Must not be later than to, or than now when to is not given.")
                : TypedResults.Json(await analytics.GetTimeSeriesAsync(filter, start, end, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.TimeSeriesResponse);
    }

    private static async Task<IResult> GetSuggestions(HttpRequest request, SuggestionEngine suggestions, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var serviceName = query.String("serviceName");
        var eventName = query.String("eventName");
        var userId = query.String("userId");
        var limit = query.Limit("limit", DefaultSuggestions, 1, MaxSuggestions);
        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(await suggestions.QueryAsync(serviceName, eventName, userId, limit, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.SuggestionsResponse);
    }
}
