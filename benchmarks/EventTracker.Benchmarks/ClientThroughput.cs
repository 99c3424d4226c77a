using System.Diagnostics;
using EventTracker.Client;
using EventTracker.Contracts;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>Events per second from <see cref="BackgroundEventTracker"/> to the real server in its own process, over loopback.</summary>
internal static class ClientThroughput
{
    public static async Task RunAsync(int events)
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>());
        var client = new EventTrackerClient(server.BaseAddress, new EventTrackerClientOptions { QueueCapacity = events, MaxBatchSize = 500 });
        var tracker = new BackgroundEventTracker(client);
        var payload = new AIEventPayload { ServiceName = "load", StatusCode = 200, ResponseTimeMs = 12 };
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            tracker.Track("throughput", payload);
        }

        var enqueued = clock.Elapsed;
        await tracker.FlushAsync();
        var delivered = clock.Elapsed;
        await tracker.DisposeAsync();
        var held = (await client.GetEventsPageAsync(new EventQuery { Limit = 1 })).Total;

        Console.WriteLine($"client → server: {events:N0} events tracked in {enqueued.TotalMilliseconds:N0} ms, delivered in {delivered.TotalSeconds:N2} s = {events / delivered.TotalSeconds:N0} events/s");
        Console.WriteLine($"sent {tracker.SentCount:N0}, dropped {tracker.DroppedCount:N0}, failed {tracker.FailedCount:N0}; server holds {held:N0}");
    }
}
