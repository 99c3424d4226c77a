using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Ai;
using EventTracker.Server.Http;

namespace EventTracker.Server.Endpoints;

/// <summary><c>GET /api/ai/prompts/{kind}</c>: the guide's analysis prompts, filled with the numbers of a scope.</summary>
internal static class AiEndpoints
{
    public static void MapAiEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet(EventTrackerRoutes.Prompts + "/{kind}", GetPrompt)
            .WithTags("AI")
            .WithName("GetAnalysisPrompt")
            .WithSummary("The guide's system prompt and its performance, user-behavior, business or security prompt, filled with the numbers of a service (or all) over a time range (the last 24 hours by default).")
            .Produces<AnalysisPromptResponse>()
            .ProducesValidationProblem()
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);

    private static IResult GetPrompt(string kind, HttpRequest request, AnalysisPrompts prompts, TimeProvider time)
    {
        var query = new QueryReader(request, time.GetUtcNow());
        var serviceName = query.String("serviceName");
        var (from, to) = query.TimeRange();
        if (!AnalysisPrompts.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            query.Errors.Add("kind", $"Must be one of: {string.Join(", ", AnalysisPrompts.Kinds)}.");
        }

        return query.Errors.Any
            ? Problems.BadRequest(query.Errors)
            : TypedResults.Json(prompts.Build(kind, serviceName, from, to), EventTrackerJsonContext.Default.AnalysisPromptResponse);
    }
}
