using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// A WebSocket session with the live stream: receive messages as they come (the same envelopes as the SSE stream,
/// plus <c>filter</c>, <c>track</c>, <c>pong</c> and <c>error</c> answers to what this session sends), change the
/// filter, send events and ping. One reader at a time may enumerate <see cref="ReceiveAllAsync"/>; sends may come
/// from any thread (they go out one at a time). Dispose it to close the connection.
/// </summary>
public sealed class EventTrackerWebSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private EventTrackerWebSocket(ClientWebSocket socket) => _socket = socket;

    /// <summary>Whether the connection is open.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open;

    internal static async Task<EventTrackerWebSocket> ConnectAsync(Uri uri, EventTrackerClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (options.ApiKey is { } key)
        {
            socket.Options.SetRequestHeader(options.ApiKeyHeaderName, key);
        }

        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return new EventTrackerWebSocket(socket);
        }
        catch (WebSocketException e) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new EventTrackerException($"EventTracker's WebSocket at {uri} could not be opened: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The messages the server sends, until it closes the connection or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The messages.</returns>
    public async IAsyncEnumerable<StreamMessage> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            message.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                try
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException)
                {
                    yield break;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }

            if (JsonSerializer.Deserialize(message.GetBuffer().AsSpan(0, (int)message.Length), EventTrackerJsonContext.Default.StreamMessage) is { } parsed)
            {
                yield return parsed;
            }
        }
    }

    /// <summary>Replaces the filter; the server answers with a <c>filter</c> message.</summary>
    /// <param name="filter">The new filter.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is sent.</returns>
    public Task SetFilterAsync(EventFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return SendAsync(writer =>
        {
            writer.WriteString("type", "filter");
            foreach (var (name, value) in filter.ToParameters())
            {
                writer.WriteString(name == "type" ? "eventType" : name, value); // "type" names the message itself
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Sends an event over the socket (a <c>track</c> message with a client-made <c>eventId</c>) and completes when it
    /// is sent; the server's answer, stored or refused, arrives later as a <c>track</c> or <c>error</c> message on
    /// <see cref="ReceiveAllAsync"/>.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The event's data.</param>
    /// <param name="userId">The user the event belongs to.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is sent.</returns>
    public Task SendEventAsync(string eventName, AIEventPayload? payload = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return SendAsync(writer =>
        {
            writer.WriteString("type", "track");
            writer.WriteString("eventName", eventName);
            writer.WriteString("eventId", EventTrackerClient.NewId());
            WriteIfSet(writer, "userId", userId);
            writer.WritePropertyName("payload");
            JsonSerializer.Serialize(writer, payload ?? new AIEventPayload(), EventTrackerJsonContext.Default.AIEventPayload);
        }, cancellationToken);
    }

    /// <summary>Asks the server for a <c>pong</c>.</summary>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is sent.</returns>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        SendAsync(writer => writer.WriteString("type", "ping"), cancellationToken);

    /// <summary>Closes the connection.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendAsync(Action<Utf8JsonWriter> writeFields, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(new ArraySegment<byte>(buffer.ToArray()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
