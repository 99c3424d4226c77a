using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Telemetry;
using EventTracker.Server.Validation;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Otlp;

/// <summary>
/// An OTLP/HTTP export request taken in: read (either encoding, compressed or not, within the body limit), mapped to
/// events record by record, and admitted through <see cref="EventAdmission"/> like every other event. Records that break the event rules are rejected alone and reported as a partial success.
/// </summary>
internal sealed class OtlpIngestion
{
    private readonly RequestBodyReader _reader;
    private readonly EventAdmission _admission;
    private readonly int _maxBatchEvents;
    private readonly ServerMetrics _metrics;

    public OtlpIngestion(RequestBodyReader reader, EventAdmission admission, IOptions<IngestionOptions> options, ServerMetrics metrics)
    {
        _metrics = metrics;
        _reader = reader;
        _admission = admission;
        _maxBatchEvents = options.Value.MaxBatchEvents;
    }

    /// <param name="context">The request.</param>
    /// <param name="signal">What the request exports (<c>traces</c>, <c>logs</c>), for the metrics.</param>
    /// <param name="parser">Reads the request message.</param>
    /// <param name="map">Maps the message's records to events.</param>
    /// <param name="respond">The success response, given what was rejected.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public async Task<IResult> ExportAsync<TRequest>(
        HttpContext context, string signal, MessageParser<TRequest> parser, Func<TRequest, EventTimeWindow, OtlpEvents> map, Func<OtlpEvents, IMessage> respond,
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
        var errors = new ValidationErrors();
        if (message is null)
        {
            errors.Add(error!.Value.Field, error.Value.Message);
            return Refusal(_admission.Refuse(IngestTransport.Otlp, errors));
        }

        var headers = TrackHeaders.Read(request.Headers, errors) with { Sender = context.GetApiKey()?.Name, EventId = null };
        if (errors.Any)
        {
            return Refusal(_admission.Refuse(IngestTransport.Otlp, errors));
        }

        // Each chunk is stored whole or not at all; spans carry their ids, so an export retried after a refusal
        // part-way stores none of them twice.
        var events = map(message, _admission.TimeWindow);
        if (events.Rejected > 0)
        {
            _admission.Refuse(IngestTransport.Otlp, events.Errors, count: events.Rejected);
        }

        if (await _admission.StoreAsync(context, events.Accepted, headers, _maxBatchEvents, context.RequestAborted) is { } refusal)
        {
            return Refusal(refusal);
        }

        _metrics.OtlpRecords(signal, events.Accepted.Count, events.Rejected);
        return OtlpResults.Success(respond(events), encoding);

        IResult Refusal(AdmissionRefusal refusal) => OtlpResults.Refusal(refusal.ToProblem(context.Response), encoding);
    }
}
