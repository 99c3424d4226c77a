using System.Net.WebSockets;
using EventTracker.Contracts;
using EventTracker.Testing;

namespace EventTracker.Server.Tests;

/// <summary>The real server process stopped with SIGTERM while live readers are connected.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_sends_websocket_readers_a_going_away_close_ends_sse_streams_and_exits_in_time()
    {
        await using var server = await ServerProcess.StartAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri, CancellationToken.None);
        using var streamClient = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await using var stream = await SseReader.OpenAsync(streamClient);
        var closing = ReceiveCloseAsync(socket);

        Assert.True(await server.TerminateAsync(TimeSpan.FromSeconds(25)), "the server did not exit within its shutdown timeout");

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await closing);
        Assert.True(await stream.EndsWithinAsync(TimeSpan.FromSeconds(5)), "the SSE stream did not end");
    }

    private static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(ClientWebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return result.CloseStatus;
            }
        }
    }
}
