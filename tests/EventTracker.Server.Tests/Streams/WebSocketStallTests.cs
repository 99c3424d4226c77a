using System.Net.WebSockets;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Server.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace EventTracker.Server.Tests.Streams;

/// <summary>
/// A WebSocket client that stops reading while the stream has more for it than the connection can buffer: its sends
/// stall, and the server must not wait on them for ever — the client is disconnected after the send timeout, and with
/// it goes its subscription.
/// </summary>
public sealed class WebSocketStallTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(
        new Dictionary<string, string?>
        {
            ["EventTracker:Streams:StatsInterval"] = "01:00:00",
            ["EventTracker:Streams:PingInterval"] = "01:00:00",
            ["EventTracker:Streams:WebSocketSendTimeout"] = "00:00:01",
        },
        kestrel: true);

    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_disconnected_and_its_reply_does_not_wait_for_ever()
    {
        var broadcaster = _factory.Services.GetRequiredService<EventBroadcaster>();
        using var socket = new ClientWebSocket();
        socket.Options.SetBuffer(1024, 1024);
        await socket.ConnectAsync(new UriBuilder(_client.BaseAddress!) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri, CancellationToken.None);
        Assert.True(await Poll.UntilAsync(() => broadcaster.SubscriberCount == 1, 60), "the client never subscribed");

        // 40 MB of stream for a client that reads none of it: more than loopback buffers hold.
        var blob = new string('x', 200_000);
        for (var i = 0; i < 200 && broadcaster.SubscriberCount == 1; i++)
        {
            await _client.TrackAsync("big", $$$"""{"serviceName":"stall","metadata":{"blob":"{{{blob}}}"}}""");
        }

        try
        {
            // Its reply queues behind the stuck live messages.
            await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"ping"}"""), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Disconnected already.
        }

        Assert.True(await Poll.UntilAsync(() => broadcaster.SubscriberCount == 0, 60), "the stalled client is still connected after 60 s");
    }
}
