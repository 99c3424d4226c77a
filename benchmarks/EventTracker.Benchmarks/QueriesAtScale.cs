using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// Queries over a full store, measured from outside as the issue's table has them: the server in its own process
/// (on each of <see cref="HarnessStores"/>) is filled with N events in batches of 100 from 16 connections (eight services,
/// forty names spread over every service, fifty correlation ids of N/50 events each), then each query is timed over
/// one connection, with <c>/healthz</c> as the round trip's own floor; and the server's resident memory once full.
/// <c>queries [events]</c>; with <c>QUERIES_PROFILE=&lt;path&gt;</c>, only that query, over and over, against the memory-only
/// server, for a profiler. Loopback only; bounded by the event count and the repetitions.
/// </summary>
internal static class QueriesAtScale
{
    private const int BatchSize = 100;
    private const int Senders = 16;
    private const int Repetitions = 400;
    private const int Correlations = 50;

    private static readonly (string Label, string Path)[] Queries =
    [
        ("/healthz (round-trip floor)", "/healthz"),
        ("no filter", "/api/events"),
        ("?serviceName=", "/api/events?serviceName=user-service"),
        ("?correlationId=", "/api/events?correlationId=flow-7"),
        ("?serviceName=&eventName=", "/api/events?serviceName=user-service&eventName=event-5"),
        ("?serviceName=&errorsOnly=", "/api/events?serviceName=user-service&errorsOnly=true"),
        ("/statistics", "/api/events/statistics"),
        ("/services", "/api/events/services"),
        ("/suggestions", "/api/events/suggestions"),
    ];

    public static async Task RunAsync(int events)
    {
        Console.WriteLine($"queries at {events:N0} held events, each timed {Repetitions} times over one connection (p50 / p99, ms)");
        var asShipped = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Information",
            ["EventTracker__Store__Capacity"] = Math.Max(events, 1_000_000).ToString(CultureInfo.InvariantCulture),
        };
        using var stores = HarnessStores.FromEnvironment();
        if (Environment.GetEnvironmentVariable("QUERIES_PROFILE") is not null)
        {
            await MeasureAsync(HarnessStores.Label("memory"), stores.Environment("memory", asShipped), events);
            return;
        }

        foreach (var store in stores.Names)
        {
            await MeasureAsync(HarnessStores.Label(store), stores.Environment(store, asShipped), events);
        }
    }

    private static async Task MeasureAsync(string label, Dictionary<string, string> environment, int events)
    {
        await using var server = await ServerProcess.StartAsync(environment);
        var clock = Stopwatch.StartNew();
        await FillAsync(server.BaseAddress, events);
        var filled = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2)); // the projection and the suggestions caught up
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: filled in {filled:0.0} s ({events / filled:N0} events/s); RSS {ResidentMiB(server.ProcessId):N0} MiB"));

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        if (Environment.GetEnvironmentVariable("QUERIES_PROFILE") is { Length: > 0 } profiled)
        {
            // One query over and over for 20 s, with the pid printed, for `dotnet-trace collect -p <pid>`.
            Console.WriteLine($"server pid {server.ProcessId}: asking {profiled} for 20 s");
            var until = Stopwatch.GetTimestamp() + (20 * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                await TimeAsync(client, profiled);
            }

            return;
        }

        foreach (var (name, path) in Queries)
        {
            var times = await TimeAsync(client, path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-30} p50 {Percentile.Of(times, 50):0.000}  p99 {Percentile.Of(times, 99):0.000}"));
        }
    }

    private static async Task FillAsync(Uri server, int events)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Senders, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        await BatchSenders.SendAsync(client, events / BatchSize, Senders, batch => BatchBody(batch * BatchSize));
    }

    private static async Task<List<double>> TimeAsync(HttpClient client, string path)
    {
        var times = new List<double>(Repetitions);
        for (var i = 0; i < Repetitions + (Repetitions / 10); i++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var response = await client.GetAsync(new Uri(path, UriKind.Relative)))
            {
                response.EnsureSuccessStatusCode();
                await response.Content.LoadIntoBufferAsync();
            }

            if (i >= Repetitions / 10)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        times.Sort();
        return times;
    }

    // Each service holds every name, and each correlation id events of every service.
    private static string BatchBody(int first)
    {
        var builder = new StringBuilder("""{"events":[""");
        for (var i = first; i < first + BatchSize; i++)
        {
            var service = SeedLikeEvents.Services[i % SeedLikeEvents.Services.Length];
            builder.Append(i == first ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"eventName\":\"event-{i / SeedLikeEvents.Services.Length % 40}\",\"payload\":{{")
                .Append(CultureInfo.InvariantCulture, $"\"serviceName\":\"{service}\",\"userId\":\"user-{i % 10_000}\",\"sessionId\":\"session-{i % 10_000}\",")
                .Append(CultureInfo.InvariantCulture, $"\"correlationId\":\"flow-{i % Correlations}\",\"statusCode\":{(i % 50 == 0 ? 500 : 200)},\"responseTimeMs\":{20 + (i * 7919L % 400)},")
                .Append("\"metadata\":{\"feature\":\"authentication\",\"version\":\"2.1.0\"}}}");
        }

        return builder.Append("]}").ToString();
    }

    private static long ResidentMiB(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

}
