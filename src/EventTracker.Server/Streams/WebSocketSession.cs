using System.Net.WebSockets;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Streams;

/// <summary>
/// One WebSocket client: live messages go out as text frames with the same envelopes as SSE; the client may send
/// <c>{"type":"filter",…}</c>, <c>{"type":"track","eventName":…,"payload":…}</c> and <c>{"type":"ping"}</c>.
/// A message that is not understood is answered with an <c>error</c> envelope; one over the size limit closes
/// the socket with a policy violation.
/// </summary>
internal sealed class WebSocketSession : IDisposable
{
    private readonly WebSocket _socket;
    private readonly StreamSubscription _subscription;
    private readonly EventIngestor _ingestor;
    private readonly int _maxMessageBytes;
    private readonly bool _mayIngest;
    private readonly string? _sender;
    private readonly Func<TimeSpan?> _takeEvent;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <param name="socket">The accepted socket.</param>
    /// <param name="subscription">The client's live messages.</param>
    /// <param name="ingestor">Where <c>track</c> messages go.</param>
    /// <param name="maxMessageBytes">The largest message the client may send.</param>
    /// <param name="mayIngest">Whether the client's key allows <c>track</c> messages.</param>
    /// <param name="sender">The name of the client's key, which its event ids are scoped to; null when anonymous.</param>
    /// <param name="takeEvent">Takes one event from the sender's rate limit: null when allowed, else when to retry.</param>
    public WebSocketSession(
        WebSocket socket, StreamSubscription subscription, EventIngestor ingestor, int maxMessageBytes, bool mayIngest, string? sender,
        Func<TimeSpan?> takeEvent)
    {
        _sender = sender;
        _takeEvent = takeEvent;
        _socket = socket;
        _subscription = subscription;
        _ingestor = ingestor;
        _maxMessageBytes = maxMessageBytes;
        _mayIngest = mayIngest;
    }

    /// <summary>
    /// Runs the session until the client closes it or goes away. When <paramref name="serverStopping"/> fires, the client
    /// gets a close frame (1001, going away) and the session ends with the closing handshake — cancelling a socket
    /// operation instead would abort the connection without one.
    /// </summary>
    public async Task RunAsync(CancellationToken requestAborted, CancellationToken serverStopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var sending = SendLiveMessagesAsync(stop.Token);
        using var closing = serverStopping.Register(() => _ = CloseForShutdownAsync());
        try
        {
            await ReceiveAsync(requestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away, or broke the protocol (a text frame that is not UTF-8 gets close 1007 from the
            // platform): then give its answer to our close frame a moment, so the connection ends with the handshake.
            await AwaitClientCloseAsync();
        }
        finally
        {
            await stop.CancelAsync();
            await sending;
        }
    }

    private async Task AwaitClientCloseAsync()
    {
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var buffer = new byte[256];
            while ((await _socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public void Dispose() => _sendLock.Dispose();

    private async Task SendLiveMessagesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _subscription.ReadAllAsync(cancellationToken))
            {
                await SendAsync(message.Json, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[_maxMessageBytes];
        while (_socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Messages are limited to {_maxMessageBytes} bytes");
                    return;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, null);
                return;
            }

            await SendAsync(await HandleAsync(buffer.AsMemory(0, length)), CancellationToken.None);
        }
    }

    /// <summary>The answer to one client message.</summary>
    private async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> json)
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
            "ping" => Envelope.Serialize(StreamMessageTypes.Pong, DateTimeOffset.UtcNow, EventTrackerJsonContext.Default.DateTimeOffset),
            "filter" => ReplaceFilter(root),
            "track" => await TrackAsync(root),
            _ => Error("type", "Expected an object whose type is \"filter\", \"track\" or \"ping\"."),
        };
    }

    private byte[] ReplaceFilter(JsonElement message)
    {
        var errors = new ValidationErrors();
        var filter = new EventFilter
        {
            ServiceName = Text(message, "serviceName", errors),
            EventName = Text(message, "eventName", errors),
            Type = Text(message, "eventType", errors), // "type" names the message itself
            UserId = Text(message, "userId", errors),
            CorrelationId = Text(message, "correlationId", errors),
            SessionId = Text(message, "sessionId", errors),
        };
        if (errors.Any)
        {
            return Error(errors);
        }

        _subscription.Filter = filter;
        return Envelope.Serialize(StreamMessageTypes.Filter, filter, EventTrackerJsonContext.Default.EventFilter);
    }

    private async Task<byte[]> TrackAsync(JsonElement message)
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
        var parsed = EventRequestParser.ParsePayload(hasPayload ? System.Text.Encoding.UTF8.GetBytes(payload.GetRawText()) : [], _ingestor.TimeWindow, payloadErrors);
        errors.AddAll(payloadErrors, prefix: "payload.");
        if (errors.Any || parsed is null)
        {
            return Error(errors);
        }

        if (_takeEvent() is { } wait)
        {
            return Error("rate", $"Too many events; retry in {Access.EventRateLimit.RetryAfterSeconds(wait)} s.");
        }

        TrackEventResponse response;
        try
        {
            response = await _ingestor.TrackAsync(eventName!, parsed, new TrackHeaders(userId, null, null, eventId) { Sender = _sender });
        }
        catch (StoreUnavailableException e)
        {
            return Error("store", e.Message);
        }

        return Envelope.Serialize(StreamMessageTypes.Track, response, EventTrackerJsonContext.Default.TrackEventResponse);
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

    private async Task SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseForShutdownAsync()
    {
        try
        {
            await _sendLock.WaitAsync();
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down", timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone already.
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string? reason)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(status, reason, timeout.Token);
        }
    }
}
