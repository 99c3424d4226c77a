using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Ai;
using EventTracker.Server.Http;

namespace EventTracker.Server.Endpoints;

/// <summary>
/// <c>GET /api/ai/prompts/{kind}</c>, the guide's analysis prompts filled with the numbers of a scope, and
/// <c>GET /api/events/features</c>, the ML feature export.
/// </summary>
internal static class AiEndpoints
{
    public static void MapAiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(EventTrackerRoutes.Features, GetFeatures)
            .WithTags("AI")
            .WithName("ExportFeatures")
            .WithSummary("One row per held event (oldest first) with the guide's MLFeatureSet columns our events support, as NDJSON (format=ndjson, the default) or CSV (format=csv), streamed.")
            .Produces(StatusCodes.Status200OK, contentType: NdjsonType)
            .ProducesValidationProblem()
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);
        app.MapGet(EventTrackerRoutes.Prompts + "/{kind}", GetPrompt)
            .WithTags("AI")
            .WithName("GetAnalysisPrompt")
            .WithSummary("The guide's system prompt and its performance, user-behavior, business or security prompt, filled with the numbers of a service (or all) over a time range (the last 24 hours by default).")
            .Produces<AnalysisPromptResponse>()
            .ProducesValidationProblem()
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);
    }

    private const string NdjsonType = "application/x-ndjson";

    private static async Task GetFeatures(HttpContext context, FeatureExport export, TimeProvider time)
    {
        var query = new QueryReader(context.Request, time.GetUtcNow());
        var serviceName = query.String("serviceName");
        var (from, to) = query.TimeRange();
        var format = query.Raw("format") is { Length: > 0 } given ? given : "ndjson";
        if (format is not ("ndjson" or "csv"))
        {
            query.Errors.Add("format", "Must be ndjson or csv.");
        }

        if (query.Errors.Any)
        {
            await Problems.BadRequest(query.Errors).ExecuteAsync(context);
            return;
        }

        var rows = export.RowsAsync(serviceName, from, to ?? time.GetUtcNow().ToUnixTimeMilliseconds(), context.RequestAborted);
        context.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : NdjsonType;
        if (format == "csv")
        {
            await FeatureWriter.WriteCsvAsync(context.Response.Body, rows, context.RequestAborted);
        }
        else
        {
            await FeatureWriter.WriteNdjsonAsync(context.Response.Body, rows, context.RequestAborted);
        }
    }

    private static async Task<IResult> GetPrompt(string kind, HttpRequest request, AnalysisPrompts prompts, TimeProvider time)
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
            : TypedResults.Json(await prompts.BuildAsync(kind, serviceName, from, to, request.HttpContext.RequestAborted), EventTrackerJsonContext.Default.AnalysisPromptResponse);
    }
}
