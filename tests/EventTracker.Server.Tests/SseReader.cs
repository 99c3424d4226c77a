using System.Net.ServerSentEvents;
using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests;

/// <summary>A test's Server-Sent Events connection, parsed with the platform's <see cref="SseParser"/>.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    public static async Task<SseReader> OpenAsync(HttpClient client, string query = "", string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, EventTrackerRoutes.Stream + query);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next message, with its SSE id and event type, within <paramref name="timeout"/> (default 10 s).</summary>
    public async Task<(string? Id, string EventType, StreamMessage Message)> NextAsync(TimeSpan? timeout = null)
    {
        var next = _items.MoveNextAsync().AsTask();
        var winner = await Task.WhenAny(next, Task.Delay(timeout ?? TimeSpan.FromSeconds(10)));
        Assert.True(winner == next, "No stream message arrived in time.");
        Assert.True(await next, "The stream ended.");
        var item = _items.Current;
        return (item.EventId, item.EventType, JsonSerializer.Deserialize(item.Data, EventTrackerJsonContext.Default.StreamMessage)!);
    }

    /// <summary>The next <c>event</c> message's event and id, skipping stats and pings.</summary>
    public async Task<(string Id, StoredEvent Event)> NextEventAsync()
    {
        while (true)
        {
            var (id, _, message) = await NextAsync();
            if (message.Type == StreamMessageTypes.Event)
            {
                return (id!, message.Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent)!);
            }
        }
    }

    /// <summary>Whether the server ended the stream within <paramref name="timeout"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var next = _items.MoveNextAsync().AsTask();
            if (await Task.WhenAny(next, Task.Delay(deadline - DateTime.UtcNow)) != next)
            {
                return false;
            }

            try
            {
                if (!await next)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
