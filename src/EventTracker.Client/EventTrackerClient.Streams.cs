using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Client;

// The live streams: Server-Sent Events read as they arrive, resumed after a dropped connection, and WebSocket sessions.
public partial class EventTrackerClient
{
    /// <summary>
    /// The live stream (Server-Sent Events) as it arrives: events, new insights, stats, pings and dropped notices
    /// (<see cref="StreamMessage.AsEvent"/> and <see cref="StreamMessage.AsInsight"/> read the first two). When the
    /// connection drops, it reconnects with back-off and <c>Last-Event-ID</c>, so the enumeration goes on without gaps
    /// or repeats; cancelling <paramref name="cancellationToken"/> ends it without an exception.
    /// </summary>
    /// <param name="filter">Which events to receive, and optionally where to resume.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="EventTrackerException">The server refused the stream (for example a bad filter).</exception>
    public virtual async IAsyncEnumerable<StreamMessage> StreamAsync(
        StreamFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lastEventId = filter?.LastEventId;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var response = await TryOpenStreamAsync(filter, lastEventId, cancellationToken);
            if (response is not null)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var items = SseParser.Create(stream, ParseStreamMessage).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (await MoveNextOrEndAsync(items, cancellationToken))
                {
                    failures = 0;
                    lastEventId = items.Current.EventId ?? lastEventId;
                    if (items.Current.Data is { } message)
                    {
                        yield return message;
                    }
                }
            }

            if (!await DelayQuietlyAsync(BackOff.Next(failures++), cancellationToken))
            {
                yield break;
            }
        }
    }

    /// <summary>Opens a WebSocket to the live stream, for receiving messages and sending filters and events.</summary>
    /// <param name="filter">The first filter; change it later with <see cref="EventTrackerWebSocket.SetFilterAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The open session; dispose it to close.</returns>
    /// <exception cref="EventTrackerException">The server refused the connection or could not be reached (the transport error is the inner exception).</exception>
    public virtual Task<EventTrackerWebSocket> ConnectWebSocketAsync(EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var http = Url(EventTrackerRoutes.WebSocket + new QueryString().Add(filter));
        var ws = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        return EventTrackerWebSocket.ConnectAsync(ws, Options, cancellationToken);
    }

    /// <summary>The stream's response, or null after a transient failure (network, 408, 429, 5xx) or cancellation.</summary>
    private async Task<HttpResponseMessage?> TryOpenStreamAsync(StreamFilter? filter, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(EventTrackerRoutes.Stream + new QueryString().Add(filter)));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        AddApiKey(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return null; // the caller backs off, or stops if it was cancelled
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (TransientFailure.Is(response.StatusCode))
            {
                return null;
            }

            await EnsureSuccessAsync(response, cancellationToken);
            return null;
        }
    }

    private static async Task<bool> MoveNextOrEndAsync<T>(IAsyncEnumerator<T> items, CancellationToken cancellationToken)
    {
        try
        {
            return await items.MoveNextAsync();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // A dropped connection ends this attempt; cancellation ends the enumeration (the caller checks the token).
            return false;
        }
    }

    private async Task<bool> DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, Time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static StreamMessage? ParseStreamMessage(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, EventTrackerJsonContext.Default.StreamMessage);
        }
        catch (JsonException)
        {
            return null; // not one of ours; skip it
        }
    }
}
