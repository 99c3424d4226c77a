using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests;

/// <summary>The WebSocket stream over a real Kestrel on 127.0.0.1.</summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(
        new Dictionary<string, string?>
        {
            ["EventTracker:Streams:StatsInterval"] = "01:00:00",
            ["EventTracker:Streams:PingInterval"] = "01:00:00",
            ["EventTracker:Streams:MaxClientMessageBytes"] = "4096",
        },
        kestrel: true);

    private readonly ClientWebSocket _socket = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        var uri = new UriBuilder(_client.BaseAddress!) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri;
        await _socket.ConnectAsync(uri, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _socket.Dispose();
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_filter_message_replaces_the_filter()
    {
        await SendAsync("""{"type":"filter","serviceName":"payment-service"}""");
        var ack = await ReceiveAsync();
        await _client.TrackAsync("page-view", """{"serviceName":"web-analytics"}""");
        await _client.TrackAsync("charge", """{"serviceName":"payment-service"}""");
        var first = await ReceiveAsync();

        await SendAsync("""{"type":"filter","eventType":"VIEW"}""");
        var secondAck = await ReceiveAsync();
        await _client.TrackAsync("charge", """{"serviceName":"payment-service"}""");
        await _client.TrackAsync("page-view", """{"serviceName":"web-analytics"}""");
        var second = await ReceiveAsync();

        Assert.Equal("filter", ack.Type);
        Assert.Equal("payment-service", ack.Data.GetProperty("serviceName").GetString());
        Assert.Equal(("event", "charge"), (first.Type, first.Data.GetProperty("name").GetString()));
        Assert.Equal("VIEW", secondAck.Data.GetProperty("type").GetString());
        Assert.Equal(("event", "page-view"), (second.Type, second.Data.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("""{"type":"filter","errorsOnly":true,"statusClass":"4xx"}""")]
    [InlineData("""{"type":"filter","errorsOnly":"true","statusClass":4}""")]
    public async Task A_filter_message_selects_errors_of_a_status_class(string message)
    {
        await SendAsync(message);
        var ack = await ReceiveAsync();
        await _client.TrackAsync("api-request", """{"statusCode":200}""");
        await _client.TrackAsync("api-request", """{"statusCode":503}""");
        await _client.TrackAsync("login-failed", """{"statusCode":401}""");

        var streamed = await ReceiveAsync();

        Assert.True(ack.Data.GetProperty("errorsOnly").GetBoolean());
        Assert.Equal(4, ack.Data.GetProperty("statusClass").GetInt32());
        Assert.Equal(("event", "login-failed"), (streamed.Type, streamed.Data.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_track_message_is_ingested_answered_and_streamed()
    {
        await SendAsync("""{"type":"track","eventName":"ws-click","userId":"u-1","payload":{"serviceName":"web-analytics","metadata":{"x":1}}}""");

        var messages = new[] { await ReceiveAsync(), await ReceiveAsync() }.ToDictionary(m => m.Type);

        var response = messages["track"].Data.Deserialize(EventTrackerJsonContext.Default.TrackEventResponse)!;
        Assert.True(response.Success);
        var streamed = messages["event"].Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent)!;
        Assert.Equal(response.EventId, streamed.Id);
        var stored = Assert.Single((await _client.GetEventsAsync()).Events);
        Assert.Equal(("ws-click", "u-1", 1), (stored.Name, stored.UserId, stored.Payload.Metadata!["x"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Ping_gets_pong()
    {
        await SendAsync("""{"type":"ping"}""");

        Assert.Equal("pong", (await ReceiveAsync()).Type);
    }

    [Theory]
    [InlineData("not json", "message")]
    [InlineData("[1,2]", "type")]
    [InlineData("""{"type":"subscribe"}""", "type")]
    [InlineData("""{"kind":"ping"}""", "type")]
    [InlineData("""{"type":"filter","serviceName":42}""", "serviceName")]
    [InlineData("""{"type":"filter","statusClass":"6xx"}""", "statusClass")]
    [InlineData("""{"type":"filter","statusClass":4.5}""", "statusClass")]
    [InlineData("""{"type":"filter","errorsOnly":"maybe"}""", "errorsOnly")]
    [InlineData("""{"type":"filter","errorsOnly":[true]}""", "errorsOnly")]
    [InlineData("""{"type":"track","eventName":""}""", "eventName")]
    [InlineData("""{"type":"track"}""", "eventName")]
    [InlineData("""{"type":"track","eventName":"x","payload":[1]}""", "payload")]
    [InlineData("""{"type":"track","eventName":"x","payload":{"statusCode":"abc"}}""", "payload.statusCode")]
    [InlineData("""{"type":"track","eventName":"x","payload":{"responseTimeMs":-1}}""", "payload.responseTimeMs")]
    public async Task Bad_messages_get_an_error_envelope_and_the_connection_stays_open(string message, string field)
    {
        await SendAsync(message);
        var error = await ReceiveAsync();
        await SendAsync("""{"type":"ping"}""");
        var pong = await ReceiveAsync();

        Assert.Equal("error", error.Type);
        Assert.True(error.Data.GetProperty("errors").TryGetProperty(field, out _), error.Data.ToString());
        Assert.Equal("pong", pong.Type);
        Assert.Equal(0, (await _client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task An_oversized_message_closes_the_socket_with_a_policy_violation()
    {
        var blob = new string('b', 5000);
        await SendAsync($$"""{"type":"track","eventName":"x","payload":{"metadata":{"blob":"{{blob}}"} } }""");

        var buffer = new byte[1024];
        var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, _socket.CloseStatus);
        Assert.Equal(0, (await _client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task A_plain_http_request_to_the_websocket_route_gets_a_problem()
    {
        using var response = await _client.GetAsync(EventTrackerRoutes.WebSocket);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task<StreamMessage> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var message = new MemoryStream();
        var buffer = new byte[4096];
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonSerializer.Deserialize(message.ToArray(), EventTrackerJsonContext.Default.StreamMessage)!;
    }
}
