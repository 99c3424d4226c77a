using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Access;

/// <summary>Rate limits per sender on a fake clock: events counted one by one (a batch of n costs n), reads on their own.</summary>
public sealed class RateLimitTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 8, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Events_are_counted_one_by_one_and_refusals_say_when_to_retry()
    {
        await using var server = new TestServerFactory(Settings(("EventsPerSecond", "10"), ("EventBurst", "20")), _time);
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await BatchAsync(client, 20)).StatusCode);
        using var refused = await SingleAsync(client);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("\"rate\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await BatchAsync(client, 10)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await BatchAsync(client, 1)).StatusCode);

        // A batch larger than the bucket passes when the bucket is full, and the debt is paid in time.
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, (await BatchAsync(client, 50)).StatusCode);
        using var inDebt = await SingleAsync(client);
        Assert.Equal(HttpStatusCode.TooManyRequests, inDebt.StatusCode);
        Assert.Equal("4", inDebt.Headers.GetValues("Retry-After").Single());
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await SingleAsync(client)).StatusCode);

        Assert.Equal(81, server.Store.Count);
    }

    [Fact]
    public async Task Each_api_key_has_its_own_budget()
    {
        var settings = Settings(("EventsPerSecond", "1"), ("EventBurst", "5"));
        settings["EventTracker:Auth:Keys:0:Name"] = "a";
        settings["EventTracker:Auth:Keys:0:Key"] = "key-a-0123456789abcdef";
        settings["EventTracker:Auth:Keys:0:Scopes:0"] = "ingest";
        settings["EventTracker:Auth:Keys:1:Name"] = "b";
        settings["EventTracker:Auth:Keys:1:Key"] = "key-b-0123456789abcdef";
        settings["EventTracker:Auth:Keys:1:Scopes:0"] = "ingest";
        await using var server = new TestServerFactory(settings, _time);
        using var a = server.CreateClient();
        a.DefaultRequestHeaders.Add("X-API-Key", "key-a-0123456789abcdef");
        using var b = server.CreateClient();
        b.DefaultRequestHeaders.Add("X-API-Key", "key-b-0123456789abcdef");

        Assert.Equal(HttpStatusCode.OK, (await BatchAsync(a, 5)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SingleAsync(a)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await BatchAsync(b, 5)).StatusCode);
    }

    [Fact]
    public async Task Reads_have_a_limit_of_their_own()
    {
        await using var server = new TestServerFactory(Settings(("ReadsPerSecond", "1"), ("ReadBurst", "2"), ("EventsPerSecond", "100")), _time);
        using var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events/statistics")).StatusCode);
        using var refused = await client.GetAsync("/api/events/services");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await SingleAsync(client)).StatusCode);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task Websocket_track_messages_spend_the_same_budget()
    {
        await using var server = new TestServerFactory(Settings(("EventsPerSecond", "1"), ("EventBurst", "1")), _time, kestrel: true);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server.ClientOptions.BaseAddress) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri, CancellationToken.None);

        var first = await TrackOverSocketAsync(socket);
        var second = await TrackOverSocketAsync(socket);

        Assert.Equal("track", first.GetProperty("type").GetString());
        Assert.Equal("error", second.GetProperty("type").GetString());
        Assert.True(second.GetProperty("data").GetProperty("errors").TryGetProperty("rate", out _));
    }

    [Fact]
    public async Task The_stream_connection_cap_says_when_to_retry()
    {
        await using var server = new TestServerFactory(new Dictionary<string, string?> { ["EventTracker:Streams:MaxConnections"] = "1" }, kestrel: true);
        using var client = new HttpClient { BaseAddress = server.ClientOptions.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await using var first = await SseReader.OpenAsync(client);

        using var refused = await client.GetAsync(EventTrackerRoutes.Stream, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] limits) =>
        limits.ToDictionary(l => "EventTracker:RateLimit:" + l.Key, l => (string?)l.Value);

    private static Task<HttpResponseMessage> SingleAsync(HttpClient client) =>
        client.PostAsync("/api/events/track/limited", new StringContent("{}", Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> BatchAsync(HttpClient client, int count) =>
        client.PostAsJsonAsync(
            "/api/events/track/batch",
            new BatchTrackEventRequest { Events = [.. Enumerable.Range(0, count).Select(i => new BatchTrackEventItem { EventName = "limited-" + i })] },
            EventTrackerJsonContext.Default.BatchTrackEventRequest);

    private static async Task<JsonElement> TrackOverSocketAsync(ClientWebSocket socket)
    {
        await socket.SendAsync("""{"type":"track","eventName":"socket-limited"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            // The socket also streams the events it stores; the answer to the track message is what counts here.
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement.Clone();
            if (message.GetProperty("type").GetString() is "track" or "error")
            {
                return message;
            }
        }
    }
}
