using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Validation;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Otlp;

/// <summary>
/// An OTLP/HTTP export request taken in: read (either encoding, compressed or not, within the body limit), mapped to
/// events record by record, charged to the sender's event budget, and stored through <see cref="EventIngestor"/> like
/// every other event. Records that break the event rules are rejected alone and reported as a partial success.
/// </summary>
internal sealed class OtlpIngestion
{
    private readonly RequestBodyReader _reader;
    private readonly EventIngestor _ingestor;
    private readonly EventRateLimit _limits;
    private readonly int _maxBatchEvents;

    public OtlpIngestion(RequestBodyReader reader, EventIngestor ingestor, EventRateLimit limits, IOptions<IngestionOptions> options)
    {
        _reader = reader;
        _ingestor = ingestor;
        _limits = limits;
        _maxBatchEvents = options.Value.MaxBatchEvents;
    }

    /// <param name="context">The request.</param>
    /// <param name="parser">Reads the request message.</param>
    /// <param name="map">Maps the message's records to events.</param>
    /// <param name="respond">The success response, given what was rejected.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public async Task<IResult> ExportAsync<TRequest>(
        HttpContext context, MessageParser<TRequest> parser, Func<TRequest, EventTimeWindow, OtlpEvents> map, Func<OtlpEvents, IMessage> respond,
        CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>, new()
    {
        var request = context.Request;
        if (OtlpEncodings.Of(request.ContentType) is not { } encoding)
        {
            return Problems.UnsupportedMediaType(
                request.ContentType ?? "(none)", $"send OTLP as {OtlpEncodings.ProtobufMediaType} or {OtlpEncodings.JsonMediaType}");
        }

        var (body, problem) = await _reader.ReadAsync(request, cancellationToken);
        if (problem is ProblemHttpResult refused)
        {
            return OtlpResults.Refusal(refused, encoding);
        }

        var message = OtlpRequestParser.Parse(body!, encoding, parser, out var error);
        if (message is null)
        {
            return OtlpResults.Refusal(Problems.BadRequest(error!.Value.Field, error.Value.Message), encoding);
        }

        var errors = new ValidationErrors();
        var headers = TrackHeaders.Read(request.Headers, errors) with { Sender = context.GetApiKey()?.Name, EventId = null };
        if (errors.Any)
        {
            return OtlpResults.Refusal(Problems.BadRequest(errors), encoding);
        }

        var events = map(message, _ingestor.TimeWindow);
        if (events.Accepted.Count > 0)
        {
            if (!_limits.TryTakeEvents(context, events.Accepted.Count, out var wait))
            {
                return OtlpResults.Refusal(Problems.TooManyEvents(context.Response, wait), encoding);
            }

            try
            {
                // Each chunk is stored whole or not at all; spans carry their ids, so an export retried after a
                // refusal part-way stores none of them twice.
                foreach (var chunk in events.Accepted.Chunk(_maxBatchEvents))
                {
                    await _ingestor.TrackBatchAsync(new BatchTrackEventRequest { Events = chunk }, headers, clientAhead: 0, context.RequestAborted);
                }
            }
            catch (StoreUnavailableException e)
            {
                return OtlpResults.Refusal(Problems.Unavailable(context.Response, "store", e.Message, e.RetryAfter), encoding);
            }
        }

        return OtlpResults.Success(respond(events), encoding);
    }
}
