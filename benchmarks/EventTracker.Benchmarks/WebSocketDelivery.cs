using System.Globalization;
using System.Net.WebSockets;
using EventTracker.Contracts;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// What the server spends to deliver one event to one WebSocket reader that keeps up: N readers, each reading every
/// event, while batches of 100 are ingested; prints the server's CPU time per delivered message. Loopback only;
/// bounded by the event count.
/// </summary>
internal static class WebSocketDelivery
{
    private const int BatchSize = 100;

    public static async Task RunAsync(int readers, int events)
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < readers; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new UriBuilder(server.BaseAddress) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri, CancellationToken.None);
            sockets.Add(socket);
        }

        var reading = sockets.Select(socket => ReadEventsAsync(socket, events)).ToList();
        var cpu = server.CpuTime;
        await BatchSenders.SendAsync(client, events / BatchSize, 4, batch => SeedLikeEvents.BatchBody(batch * BatchSize, BatchSize));
        await Task.WhenAll(reading);
        var seconds = (server.CpuTime - cpu).TotalSeconds;
        sockets.ForEach(socket => socket.Dispose());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WebSocket delivery: {readers} readers × {events:N0} events: server CPU {seconds:0.00} s, {1e6 * seconds / ((double)readers * events):0.00} µs per delivered message (ingestion included)"));
    }

    private static async Task ReadEventsAsync(ClientWebSocket socket, int events)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        for (var read = 0; read < events;)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (buffer.AsSpan(0, length).StartsWith("{\"type\":\"event\""u8))
            {
                read++;
            }
        }
    }
}
