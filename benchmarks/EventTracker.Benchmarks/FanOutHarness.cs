using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// Load harness for the live stream: the server in its own process, N SSE readers (each filtered to one of
/// <c>services</c> services, so every event reaches N/services readers), and a sender pacing batches to a target
/// event rate. Reports delivery latency (send → read) percentiles and the ingestion rate reached, first with no
/// readers and then with them, as a ratio. Loopback only; bounded by its duration.
/// </summary>
internal static class FanOutHarness
{
    private const int BatchSize = 100;

    public static async Task RunAsync(int subscribers, int eventsPerSecond, int services, TimeSpan duration)
    {
        var environment = new Dictionary<string, string>
        {
            ["EventTracker__Streams__MaxConnections"] = (subscribers + 10).ToString(CultureInfo.InvariantCulture),
        };
        await using var server = await ServerProcess.StartAsync(environment);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = subscribers + 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

        Console.WriteLine($"fan-out: {subscribers} SSE readers over {services} services, target {eventsPerSecond:N0} events/s for {duration.TotalSeconds:0} s");
        var aloneMax = await SendFlatOutAsync(client, services, duration);
        var cpuBefore = server.CpuTime;
        var alone = await SendAsync(client, eventsPerSecond, services, duration, CancellationToken.None);
        var aloneCpu = (server.CpuTime - cpuBefore).TotalSeconds / duration.TotalSeconds;
        Console.WriteLine($"without readers: max {aloneMax:N0} events/s; paced {alone.Rate:N0} events/s, request p50 {alone.RequestP50:0.0} ms, p99 {alone.RequestP99:0.0} ms, server CPU {aloneCpu:P0} of a core");

        using var stop = new CancellationTokenSource();
        var latencies = new LatencyLog();
        var readers = Enumerable.Range(0, subscribers).Select(i => ReadAsync(client, $"svc-{i % services}", latencies, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2)); // let every reader connect
        latencies.Clear();
        cpuBefore = server.CpuTime;
        var loaded = await SendAsync(client, eventsPerSecond, services, duration, CancellationToken.None);
        var loadedCpu = (server.CpuTime - cpuBefore).TotalSeconds / duration.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2)); // let deliveries drain
        var deliveries = latencies.Snapshot();
        var loadedMax = await SendFlatOutAsync(client, services, duration);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var expected = loaded.Sent * (long)subscribers / services;
        Console.WriteLine($"with readers:    max {loadedMax:N0} events/s; paced {loaded.Rate:N0} events/s, request p50 {loaded.RequestP50:0.0} ms, p99 {loaded.RequestP99:0.0} ms, server CPU {loadedCpu:P0} of a core");
        Console.WriteLine($"ratios with / without readers: max ingestion {loadedMax / aloneMax:0.000}, paced request p99 {loaded.RequestP99 / alone.RequestP99:0.00}");
        Console.WriteLine($"paced deliveries: {deliveries.Count:N0} of {expected:N0} expected, {deliveries.Dropped:N0} reported dropped");
        Console.WriteLine($"delivery latency: p50 {Percentile.Of(deliveries.Sorted, 50):0.0} ms, p99 {Percentile.Of(deliveries.Sorted, 99):0.0} ms, max {Percentile.Of(deliveries.Sorted, 100):0.0} ms");
    }

    private static async Task<SendResult> SendAsync(HttpClient client, int eventsPerSecond, int services, TimeSpan duration, CancellationToken cancellationToken)
    {
        var batchesPerSecond = Math.Max(1, eventsPerSecond / BatchSize);
        var interval = TimeSpan.FromSeconds(1.0 / batchesPerSecond);
        var requestTimes = new List<double>();
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        long sent = 0;
        for (var batch = 0; clock.Elapsed < duration; batch++)
        {
            var due = interval * batch;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            var body = BatchBody(batch, services);
            pending.Add(PostAsync(client, body, requestTimes, cancellationToken));
            sent += BatchSize;
            pending.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(pending);
        var elapsed = clock.Elapsed.TotalSeconds;
        requestTimes.Sort();
        return new SendResult(sent, sent / elapsed, Percentile.Of(requestTimes, 50), Percentile.Of(requestTimes, 99));
    }

    /// <summary>Events per second that four senders reach posting batches back to back.</summary>
    private static async Task<double> SendFlatOutAsync(HttpClient client, int services, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var requestTimes = new List<double>();
        long sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async sender =>
        {
            for (var batch = sender; clock.Elapsed < duration; batch += 4)
            {
                await PostAsync(client, BatchBody(batch, services), requestTimes, CancellationToken.None);
                Interlocked.Add(ref sent, BatchSize);
            }
        }));
        return sent / clock.Elapsed.TotalSeconds;
    }

    private static async Task PostAsync(HttpClient client, string body, List<double> requestTimes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/events/track/batch", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (requestTimes)
        {
            requestTimes.Add(milliseconds);
        }
    }

    /// <summary>A batch whose events carry their send time (this process's Stopwatch) in metadata.</summary>
    private static string BatchBody(int batch, int services)
    {
        var sentAt = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder("""{"events":[""");
        for (var i = 0; i < BatchSize; i++)
        {
            builder.Append(i == 0 ? "" : ",")
                .Append("{\"eventName\":\"load\",\"payload\":{\"serviceName\":\"svc-")
                .Append((batch * BatchSize + i) % services)
                .Append("\",\"responseTimeMs\":12,\"metadata\":{\"sentAt\":")
                .Append(sentAt)
                .Append("}}}");
        }

        return builder.Append("]}").ToString();
    }

    private static async Task ReadAsync(HttpClient client, string service, LatencyLog latencies, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(new Uri($"/api/events/stream?serviceName={service}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(body, ParseMessage).EnumerateAsync(cancellationToken))
            {
                if (item.Data.SentAt is { } sentAt)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sentAt, item.Data.ReceivedAt).TotalMilliseconds);
                }

                latencies.AddDropped(item.Data.Dropped);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Reads only what the harness needs from a message, straight from its UTF-8 bytes, so the readers' own parsing
    /// takes as little as possible of the CPU the server shares with them.
    /// </summary>
    private static ReaderMessage ParseMessage(string eventType, ReadOnlySpan<byte> data)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        if (data.StartsWith("{\"type\":\"event\""u8))
        {
            var at = data.IndexOf("\"sentAt\":"u8);
            var digits = data[(at + 9)..];
            return new ReaderMessage(receivedAt, long.Parse(digits[..digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9')], CultureInfo.InvariantCulture), 0);
        }

        if (data.StartsWith("{\"type\":\"dropped\""u8))
        {
            using var message = JsonDocument.Parse(data.ToArray());
            return new ReaderMessage(receivedAt, null, message.RootElement.GetProperty("data").GetProperty("count").GetInt64());
        }

        return new ReaderMessage(receivedAt, null, 0);
    }


    private sealed record ReaderMessage(long ReceivedAt, long? SentAt, long Dropped);

    private sealed record SendResult(long Sent, double Rate, double RequestP50, double RequestP99);

    private sealed class LatencyLog
    {
        private readonly List<double> _milliseconds = [];
        private long _dropped;

        public long Dropped => Interlocked.Read(ref _dropped);

        public void Add(double milliseconds)
        {
            lock (_milliseconds)
            {
                _milliseconds.Add(milliseconds);
            }
        }

        public void AddDropped(long count) => Interlocked.Add(ref _dropped, count);

        public void Clear()
        {
            lock (_milliseconds)
            {
                _milliseconds.Clear();
            }

            Interlocked.Exchange(ref _dropped, 0);
        }

        /// <summary>The latencies so far, sorted, and the drop count.</summary>
        public (List<double> Sorted, long Count, long Dropped) Snapshot()
        {
            lock (_milliseconds)
            {
                var sorted = _milliseconds.Order().ToList();
                return (sorted, sorted.Count, Dropped);
            }
        }
    }
}
