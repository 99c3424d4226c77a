using System.Diagnostics;
using System.Globalization;
using System.Text;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// Late events against events in time order, in one run: the server in its own process (on each of
/// <see cref="HarnessStores"/>) holds a prefill spread over the last four minutes, then ingests N events stamped as they arrive and N stamped a
/// minute behind the newest held event (as spans exported late do), in batches of 100 from 4 senders; prints both rates
/// and their ratio. <c>late [events]</c>. Loopback only; bounded by the event count.
/// </summary>
internal static class LateArrivals
{
    private const int BatchSize = 100;
    private const int Senders = 4;
    private const int Prefill = 200_000;

    public static async Task RunAsync(int events)
    {
        Console.WriteLine($"late arrivals: over {Prefill:N0} held events, {events:N0} in time order, then {events:N0} a minute behind the newest");
        using var stores = HarnessStores.FromEnvironment();
        foreach (var store in stores.Names)
        {
            await MeasureAsync(HarnessStores.Label(store), stores.Environment(store), events);
        }
    }

    private static async Task MeasureAsync(string label, Dictionary<string, string> environment, int events)
    {
        await using var server = await ServerProcess.StartAsync(environment);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Senders, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var spacing = 240_000.0 / Prefill;
        await SendAsync(client, Prefill, i => now - 240_000 + (long)(i * spacing));

        var inOrder = await SendAsync(client, events, i => now + (i / 100));
        var newest = now + (events / 100);
        var late = await SendAsync(client, events, i => newest - 60_000 + (i % 1000));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-16} in order {events / inOrder:N0} events/s, a minute late {events / late:N0} events/s: late / in order {inOrder / late:0.00}"));
    }

    /// <summary>Sends <paramref name="events"/> events stamped by <paramref name="timestamp"/>; returns the seconds it took.</summary>
    private static async Task<double> SendAsync(HttpClient client, int events, Func<int, long> timestamp)
    {
        var clock = Stopwatch.StartNew();
        await BatchSenders.SendAsync(client, events / BatchSize, Senders, batch =>
        {
            var body = new StringBuilder("""{"events":[""");
            for (var i = batch * BatchSize; i < (batch + 1) * BatchSize; i++)
            {
                body.Append(i % BatchSize == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $$$"""{"eventName":"span-{{{i % 20}}}","payload":{"serviceName":"{{{SeedLikeEvents.Services[i % 8]}}}","correlationId":"trace-{{{i / 10}}}","statusCode":200,"responseTimeMs":{{{i % 300}}},"timestamp":{{{timestamp(i)}}}}}""");
            }

            return body.Append("]}").ToString();
        });
        return clock.Elapsed.TotalSeconds;
    }
}
