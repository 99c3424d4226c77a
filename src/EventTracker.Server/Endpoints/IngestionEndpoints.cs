using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Telemetry;
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
        string eventName, HttpRequest request, RequestBodyReader bodyReader, EventAdmission admission, CancellationToken cancellationToken)
    {
        var (body, problem) = await bodyReader.ReadJsonAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        eventName = PercentEncoding.PathValue(request, eventName, "eventName", errors);
        EventValidation.ValidateName(eventName, "eventName", errors);
        var headers = TrackHeaders.Read(request.Headers, errors) with { Sender = request.HttpContext.GetApiKey()?.Name };
        var payload = errors.Any ? null : EventRequestParser.ParsePayload(body!, admission.TimeWindow, errors);
        if (payload is null)
        {
            return admission.Refuse(IngestTransport.Http, errors).ToProblem(request.HttpContext.Response);
        }

        var admitted = await admission.TrackAsync(request.HttpContext, IngestTransport.Http, eventName, payload, headers, cancellationToken);
        return admitted.Refusal is { } refusal
            ? refusal.ToProblem(request.HttpContext.Response)
            : TypedResults.Json(admitted.Value!, EventTrackerJsonContext.Default.TrackEventResponse);
    }

    private static async Task<IResult> TrackBatchAsync(
        HttpContext context, RequestBodyReader bodyReader, EventAdmission admission, IOptions<IngestionOptions> options, CancellationToken cancellationToken)
    {
        var (body, problem) = await bodyReader.ReadJsonAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        var headers = TrackHeaders.Read(context.Request.Headers, errors) with { Sender = context.GetApiKey()?.Name };
        var tooMany = false;
        long clientAhead = 0;
        var batch = errors.Any ? null : EventRequestParser.ParseBatch(body!, options.Value.MaxBatchEvents, admission.TimeWindow, errors, out tooMany, out clientAhead);
        if (batch is null)
        {
            return admission.Refuse(IngestTransport.Batch, errors, tooLarge: tooMany).ToProblem(context.Response);
        }

        // An Idempotency-Key on a batch names the batch when its body does not.
        batch.BatchId ??= headers.EventId;
        var admitted = await admission.TrackBatchAsync(context, batch, headers with { EventId = null }, clientAhead, cancellationToken);
        if (admitted.Refusal is { } refusal)
        {
            return refusal.ToProblem(context.Response);
        }

        if (admitted.Value!.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Json(admitted.Value.Response, EventTrackerJsonContext.Default.BatchTrackEventResponse);
    }
}
