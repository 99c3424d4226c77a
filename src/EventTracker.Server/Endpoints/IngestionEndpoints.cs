using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Validation;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Endpoints;

/// <summary><c>POST /api/events/track/{eventName}</c> and <c>POST /api/events/track/batch</c>.</summary>
internal static class IngestionEndpoints
{
    public static void MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Ingestion").RequireAuthorization(Scopes.Ingest);

        // Bodies are read by RequestBodyReader rather than declared with Accepts<T>, whose content-type matching would
        // answer 415 before our problem details could name the field, and would refuse text/plain beacons.
        // The literal batch route is more specific than {eventName}, so a single event cannot be named "batch".
        group.MapPost(EventTrackerRoutes.TrackBatch, TrackBatchAsync)
            .WithName("TrackBatch")
            .WithSummary("Track several events at once; all are stored or none.")
            .WithDescription("Body: a BatchTrackEventRequest as JSON, sent as application/json or text/plain.")
            .Produces<BatchTrackEventResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost(EventTrackerRoutes.Track, TrackAsync)
            .WithName("TrackEvent")
            .WithSummary("Track one event.")
            .WithDescription("Body: an AIEventPayload as JSON, sent as application/json or text/plain; may be empty.")
            .Produces<TrackEventResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/api/events/track", () => Problems.BadRequest("eventName", "The event name is required: POST /api/events/track/{eventName}."))
            .ExcludeFromDescription();
    }

    private static async Task<IResult> TrackAsync(
        string eventName, HttpRequest request, RequestBodyReader bodyReader, EventIngestor ingestor, EventRateLimit limits, CancellationToken cancellationToken)
    {
        var (body, problem) = await bodyReader.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        // Routing decodes every escape in a segment except %2F, which would otherwise split it, and turns escapes that are
        // not UTF-8 into U+FFFD: the name as sent is checked for those.
        eventName = eventName.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var errors = new ValidationErrors();
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is { } target
            && !PercentEncoding.IsValidUtf8(target.AsSpan(0, target.IndexOf('?') is var q and >= 0 ? q : target.Length)))
        {
            errors.Add("eventName", "Must be valid UTF-8 text.");
        }

        EventValidation.ValidateName(eventName, "eventName", errors);
        var headers = TrackHeaders.Read(request.Headers, errors) with { Sender = request.HttpContext.GetApiKey()?.Name };
        if (errors.Any)
        {
            return Problems.BadRequest(errors);
        }

        var payload = EventRequestParser.ParsePayload(body!, ingestor.TimeWindow, errors);
        if (payload is null)
        {
            return Problems.BadRequest(errors);
        }

        if (!limits.TryTakeEvents(request.HttpContext, 1, out var wait))
        {
            return Problems.TooManyEvents(request.HttpContext.Response, wait);
        }

        try
        {
            return TypedResults.Json(await ingestor.TrackAsync(eventName, payload, headers, cancellationToken), EventTrackerJsonContext.Default.TrackEventResponse);
        }
        catch (StoreUnavailableException e)
        {
            return Problems.Unavailable(request.HttpContext.Response, "store", e.Message, e.RetryAfter);
        }
    }

    private static async Task<IResult> TrackBatchAsync(
        HttpContext context, RequestBodyReader bodyReader, EventIngestor ingestor, IOptions<IngestionOptions> options, EventRateLimit limits,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await bodyReader.ReadJsonAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var headers = TrackHeaders.Read(context.Request.Headers, errors) with { Sender = context.GetApiKey()?.Name };
        if (errors.Any)
        {
            return Problems.BadRequest(errors);
        }

        var batch = EventRequestParser.ParseBatch(body!, options.Value.MaxBatchEvents, ingestor.TimeWindow, errors, out var tooMany, out var clientAhead);
        if (batch is null)
        {
            return tooMany ? Problems.TooLarge(errors) : Problems.BadRequest(errors);
        }

        if (!limits.TryTakeEvents(context, batch.Events.Count, out var wait))
        {
            return Problems.TooManyEvents(context.Response, wait);
        }

        // An Idempotency-Key on a batch names the batch when its body does not.
        batch.BatchId ??= headers.EventId;
        BatchTrackEventResponse response;
        bool replayed;
        try
        {
            (response, replayed) = await ingestor.TrackBatchAsync(batch, headers with { EventId = null }, clientAhead, cancellationToken);
        }
        catch (StoreUnavailableException e)
        {
            return Problems.Unavailable(context.Response, "store", e.Message, e.RetryAfter);
        }

        if (replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Json(response, EventTrackerJsonContext.Default.BatchTrackEventResponse);
    }
}
