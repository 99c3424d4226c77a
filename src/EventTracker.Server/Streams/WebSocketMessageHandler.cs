using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Telemetry;
using EventTracker.Server.Queries;
using EventTracker.Server.Access;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Streams;

/// <summary>
/// Answers what a WebSocket client sends: <c>{"type":"filter",…}</c> replaces its filter, <c>{"type":"track",…}</c>
/// stores an event through the ingestion path (with the client's key, scope and rate limit), <c>{"type":"ping"}</c> gets
/// a pong. Anything not understood gets an <c>error</c> envelope naming the field, and the connection stays open.
/// </summary>
internal sealed class WebSocketMessageHandler
{
    private readonly StreamSubscription _subscription;
    private readonly EventAdmission _admission;
    private readonly HttpContext _context;
    private readonly bool _mayIngest;
    private readonly TimeProvider _time;

    /// <param name="subscription">The client's live messages, whose filter a <c>filter</c> message replaces.</param>
    /// <param name="admission">Where <c>track</c> messages go.</param>
    /// <param name="context">The WebSocket request: its key names the sender and its budget.</param>
    /// <param name="mayIngest">Whether the client's key allows <c>track</c> messages.</param>
    /// <param name="time">The clock a <c>pong</c> tells.</param>
    public WebSocketMessageHandler(StreamSubscription subscription, EventAdmission admission, HttpContext context, bool mayIngest, TimeProvider time)
    {
        _subscription = subscription;
        _admission = admission;
        _context = context;
        _mayIngest = mayIngest;
        _time = time;
    }

    /// <summary>The answer to one client message.</summary>
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!JsonText.Validate(json.Span, errors, root: "message"))
        {
            return Error(errors);
        }

        using var document = JsonDocument.Parse(json);

        var root = document.RootElement;
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        return type switch
        {
            "ping" => Envelope.Serialize(StreamMessageTypes.Pong, _time.GetUtcNow(), EventTrackerJsonContext.Default.DateTimeOffset),
            "filter" => ReplaceFilter(root),
            "track" => await TrackAsync(root, cancellationToken),
            _ => Error("type", "Expected an object whose type is \"filter\", \"track\" or \"ping\"."),
        };
    }

    private byte[] ReplaceFilter(JsonElement message)
    {
        var errors = new ValidationErrors();
        var filter = EventFilterFields.Read(field => FilterValue(message, field, errors), errors, field => field.MessageName);
        if (errors.Any)
        {
            return Error(errors);
        }

        _subscription.Filter = filter;
        return Envelope.Serialize(StreamMessageTypes.Filter, filter, EventTrackerJsonContext.Default.EventFilter);
    }

    private async Task<byte[]> TrackAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (!_mayIngest)
        {
            return Error("type", "Tracking needs an API key with the ingest scope.");
        }

        var errors = new ValidationErrors();
        var eventName = message.TryGetProperty("eventName", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        EventValidation.ValidateName(eventName, "eventName", errors);
        var userId = Text(message, "userId", errors);
        var eventId = Text(message, "eventId", errors);
        var hasPayload = message.TryGetProperty("payload", out var payload) && payload.ValueKind != JsonValueKind.Null;
        if (hasPayload && payload.ValueKind != JsonValueKind.Object)
        {
            errors.Add("payload", "Must be a JSON object.");
            return Error(errors);
        }

        var payloadErrors = new ValidationErrors();
        var parsed = EventRequestParser.ParsePayload(hasPayload ? System.Text.Encoding.UTF8.GetBytes(payload.GetRawText()) : [], _admission.TimeWindow, payloadErrors);
        errors.AddAll(payloadErrors, prefix: "payload.");
        if (errors.Any || parsed is null)
        {
            return Error(_admission.Refuse(IngestTransport.WebSocket, errors).Errors);
        }

        var headers = new TrackHeaders(userId, null, null, eventId) { Sender = _context.GetApiKey()?.Name };
        var admitted = await _admission.TrackAsync(_context, IngestTransport.WebSocket, eventName!, parsed, headers, cancellationToken);
        return admitted.Refusal is { } refusal
            ? Error(refusal.Errors)
            : Envelope.Serialize(StreamMessageTypes.Track, admitted.Value!, EventTrackerJsonContext.Default.TrackEventResponse);
    }

    private static string? Text(JsonElement message, string field, ValidationErrors errors)
    {
        if (!message.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(field, "Must be a string.");
            return null;
        }

        var text = value.GetString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        EventValidation.ValidateIdentifier(text, field, errors, EventValidation.MaxNameLength);
        return text;
    }

    // The field reads and checks the text; a flag or number may also come as the filter envelope writes it, as JSON true,
    // false or a number.
    private static string? FilterValue(JsonElement message, EventFilterFields.Field field, ValidationErrors errors)
    {
        if (!message.TryGetProperty(field.MessageName, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.True or JsonValueKind.False or JsonValueKind.Number when field.TakesJsonLiterals:
                return value.GetRawText();
            default:
                errors.Add(field.MessageName, field.TakesJsonLiterals ? "Must be a string, true, false or a number." : "Must be a string.");
                return null;
        }
    }

    private static byte[] Error(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Error(errors);
    }

    private static byte[] Error(ValidationErrors errors) =>
        Envelope.Serialize(
            StreamMessageTypes.Error,
            new StreamErrorData { Title = "The message was not understood.", Errors = errors.ToDictionary() },
            EventTrackerJsonContext.Default.StreamErrorData);
}
