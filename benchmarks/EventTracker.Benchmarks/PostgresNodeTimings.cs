using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// What a node over a filled PostgreSQL database costs: its start, its memory, each API filter's and the analytics
/// endpoints' latency (one connection, p50 and p99), and how long an event tracked on one node takes to reach a
/// stream reader on another.
/// </summary>
internal static class PostgresNodeTimings
{
    private const int WarmUp = 10;
    private const int Samples = 100;
    private const int Probes = 300;

    public static async Task<(TimeSpan Start, long ResidentBytes)> MeasureAsync(string database, int rows, bool printQueries)
    {
        var clock = Stopwatch.StartNew();
        await using var node = await ServerProcess.StartAsync(PostgresScaleOut.NodeEnvironment(database));
        using var client = node.CreateClient();
        (await client.GetAsync(EventTrackerRoutes.Statistics)).EnsureSuccessStatusCode();
        var start = clock.Elapsed;

        var threeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3);
        var page = await client.GetFromJsonAsync($"{EventTrackerRoutes.Events}?serviceName=payment-service", EventTrackerJsonContext.Default.EventsResponse);
        (string Name, string Path)[] queries =
        [
            ("newest 100", EventTrackerRoutes.Events),
            ("serviceName", $"{EventTrackerRoutes.Events}?serviceName=payment-service"),
            ("serviceName, next page", $"{EventTrackerRoutes.Events}?serviceName=payment-service&cursor={Uri.EscapeDataString(page!.NextCursor!)}"),
            ("eventName", $"{EventTrackerRoutes.Events}?eventName=event-7"),
            ("type (name contains)", $"{EventTrackerRoutes.Events}?type=event-3"),
            ("userId", $"{EventTrackerRoutes.Events}?userId=user-42"),
            ("sessionId", $"{EventTrackerRoutes.Events}?sessionId=session-42"),
            ("correlationId", $"{EventTrackerRoutes.Events}?correlationId=req-123456"),
            ("from=1h", $"{EventTrackerRoutes.Events}?from=1h"),
            ("one hour, 3 days ago", $"{EventTrackerRoutes.Events}?from={Iso(threeDaysAgo)}&to={Iso(threeDaysAgo.AddHours(1))}"),
            ("serviceName + eventName", $"{EventTrackerRoutes.Events}?serviceName=payment-service&eventName=event-3"),
            ("serviceName + from=24h", $"{EventTrackerRoutes.Events}?serviceName=payment-service&from=24h"),
            ("/statistics", EventTrackerRoutes.Statistics),
            ("/statistics?from=24h", $"{EventTrackerRoutes.Statistics}?from=24h"),
            ("/services", EventTrackerRoutes.Services),
            ("/timeseries (24h)", $"{EventTrackerRoutes.TimeSeries}?serviceName=payment-service&from=24h"),
            ("/suggestions", EventTrackerRoutes.Suggestions),
        ];

        if (printQueries)
        {
            Console.WriteLine($"latency over {rows:N0} rows, one connection, {Samples} requests each (p50 / p99 ms):");
        }

        foreach (var (name, path) in queries)
        {
            var timings = new List<double>();
            for (var i = 0; i < WarmUp + Samples; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path);
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
                if (i >= WarmUp)
                {
                    timings.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }

            if (printQueries)
            {
                Console.WriteLine($"  {name,-28} {Percentile(timings, 50),8:N2} {Percentile(timings, 99),8:N2}");
            }
        }

        GC.KeepAlive(page);
        return (start, node.ResidentBytes);
    }

    /// <summary>Single events tracked on one node, read from the stream of another: time from sending to arrival.</summary>
    public static async Task CrossNodeLatencyAsync(string database)
    {
        await using var a = await ServerProcess.StartAsync(PostgresScaleOut.NodeEnvironment(database));
        await using var b = await ServerProcess.StartAsync(PostgresScaleOut.NodeEnvironment(database));
        using var sender = a.CreateClient();
        using var reader = b.CreateClient();
        reader.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await reader.GetAsync($"{EventTrackerRoutes.Stream}?eventName=latency-probe", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var sentAt = new long[Probes];
        var latencies = new List<double>();
        var reading = Task.Run(async () =>
        {
            await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
            {
                var message = JsonSerializer.Deserialize(item.Data, EventTrackerJsonContext.Default.StreamMessage)!;
                if (message.Type != StreamMessageTypes.Event)
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                var probe = int.Parse(message.Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent)!.Payload.CorrelationId!, CultureInfo.InvariantCulture);
                latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[probe]), arrived).TotalMilliseconds);
                if (latencies.Count == Probes)
                {
                    return;
                }
            }
        });

        for (var i = 0; i < Probes; i++)
        {
            Volatile.Write(ref sentAt[i], Stopwatch.GetTimestamp());
            using var content = new StringContent($$"""{"serviceName":"probe","correlationId":"{{i}}"}""", Encoding.UTF8, "application/json");
            (await sender.PostAsync("/api/events/track/latency-probe", content)).EnsureSuccessStatusCode();
            await Task.Delay(20);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Console.WriteLine($"cross-node stream latency (tracked on A, read on B's SSE), {Probes} events: p50 {Percentile(latencies, 50):N1} ms, p99 {Percentile(latencies, 99):N1} ms");
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
