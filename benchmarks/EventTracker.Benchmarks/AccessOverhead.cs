using System.Diagnostics;
using System.Text;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// What API keys and rate limiting cost single-event ingestion: the same load of single-event POSTs against an open
/// server and against one that checks an ingest key and takes each event from a (never exhausted) rate limit, each
/// in its own process, measured open / keyed / open so drift shows; memory-only stores, so the difference is the access path.
/// </summary>
internal static class AccessOverhead
{
    private const int Senders = 8;
    private const string Key = "benchmark-ingest-key-0123456789";

    public static async Task RunAsync(int seconds)
    {
        var open = new Dictionary<string, string> { ["EventTracker__Store__DataDirectory"] = string.Empty };
        var keyed = new Dictionary<string, string>(open)
        {
            ["EventTracker__Auth__Keys__0__Name"] = "bench",
            ["EventTracker__Auth__Keys__0__Key"] = Key,
            ["EventTracker__Auth__Keys__0__Scopes__0"] = "ingest",
            ["EventTracker__RateLimit__EventsPerSecond"] = "10000000",
            ["EventTracker__RateLimit__EventBurst"] = "10000000",
        };

        var first = await MeasureAsync(open, null, seconds);
        var withAccess = await MeasureAsync(keyed, Key, seconds);
        var second = await MeasureAsync(open, null, seconds);
        var baseline = (first.PerSecond + second.PerSecond) / 2;
        Console.WriteLine($"open server:            {first.PerSecond:N0} and {second.PerSecond:N0} requests/s, p50 {first.P50:0.00} / {second.P50:0.00} ms, p99 {first.P99:0.00} / {second.P99:0.00} ms");
        Console.WriteLine($"key + rate limit:       {withAccess.PerSecond:N0} requests/s, p50 {withAccess.P50:0.00} ms, p99 {withAccess.P99:0.00} ms");
        Console.WriteLine($"throughput ratio:       {withAccess.PerSecond / baseline:0.00} (keyed / mean of open)");
    }

    /// <summary>Single-event POSTs from <see cref="Senders"/> senders for <paramref name="seconds"/> against a fresh server process.</summary>
    internal static async Task<(double PerSecond, double P50, double P99)> MeasureAsync(Dictionary<string, string> environment, string? key, int seconds)
    {
        await using var server = await ServerProcess.StartAsync(environment);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var latencies = await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            if (key is not null)
            {
                client.DefaultRequestHeaders.Add("X-API-Key", key);
            }

            var times = new List<double>();
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/events/track/access-bench", new StringContent("""{"serviceName":"bench","statusCode":200,"responseTimeMs":12}""", Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return times;
        })));
        var all = latencies.SelectMany(t => t).Order().ToList();
        return (all.Count / clock.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
    }
}
