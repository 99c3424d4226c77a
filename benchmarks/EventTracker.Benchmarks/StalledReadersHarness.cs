using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// Readers that never read, measured from outside: the server in its own process (on each of
/// <see cref="HarnessStores"/>) ingests the same events (batches of 100, four senders) while a prober times <c>GET /api/events</c> and <c>/healthz</c>, first with no readers, then with
/// N SSE and N WebSocket connections whose clients send their request and never read a byte (a 4 KiB receive buffer,
/// so the server's writes stall at once). Prints both runs and their ratios. Loopback only; bounded by the event count.
/// </summary>
internal static class StalledReadersHarness
{
    private const int BatchSize = 100;
    private const int Senders = 4;

    public static async Task RunAsync(int readersPerKind, int events)
    {
        var environment = new Dictionary<string, string>
        {
            ["EventTracker__Streams__MaxConnections"] = (2 * readersPerKind + 10).ToString(CultureInfo.InvariantCulture),
        };
        Console.WriteLine($"stalled readers: {events:N0} events in batches of {BatchSize} from {Senders} senders; then again with {readersPerKind} SSE + {readersPerKind} WebSocket readers that never read");
        using var stores = HarnessStores.FromEnvironment();
        foreach (var store in stores.Names)
        {
            Console.WriteLine($"== {HarnessStores.Label(store)}");
            await MeasureAsync(stores.Environment(store, environment), readersPerKind, events);
        }
    }

    private static async Task MeasureAsync(Dictionary<string, string> environment, int readersPerKind, int events)
    {
        await using var server = await ServerProcess.StartAsync(environment);
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

        var alone = await IngestWhileProbingAsync(server, client, events);
        Report("no readers", alone);

        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < readersPerKind; i++)
            {
                sockets.Add(await OpenStalledAsync(server.BaseAddress, StreamRequest(server.BaseAddress)));
                sockets.Add(await OpenStalledAsync(server.BaseAddress, WebSocketRequest(server.BaseAddress)));
            }

            await Task.Delay(TimeSpan.FromSeconds(2)); // every connection accepted and subscribed
            var stalled = await IngestWhileProbingAsync(server, client, events);
            Report("stalled readers", stalled);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratios stalled / none: ingest time {stalled.Seconds / alone.Seconds:0.00}, server CPU {stalled.CpuSeconds / alone.CpuSeconds:0.00}, GET /api/events p99 {stalled.QueryP99 / alone.QueryP99:0.00}, /healthz p99 {stalled.HealthP99 / alone.HealthP99:0.00}"));
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static void Report(string label, Run run) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label,-16} ingest {run.Seconds:0.00} s ({run.Events / run.Seconds:N0} events/s, server CPU {run.CpuSeconds:0.00} s); GET /api/events p50 {run.QueryP50:0.0} ms p99 {run.QueryP99:0.0} ms; /healthz p50 {run.HealthP50:0.0} ms p99 {run.HealthP99:0.0} ms"));

    private static async Task<Run> IngestWhileProbingAsync(ServerProcess server, HttpClient client, int events)
    {
        using var stop = new CancellationTokenSource();
        var queries = new List<double>();
        var health = new List<double>();
        var probing = Task.WhenAll(ProbeAsync(client, "/api/events?limit=10", queries, stop.Token), ProbeAsync(client, "/healthz", health, stop.Token));
        var cpu = server.CpuTime;
        var clock = Stopwatch.StartNew();
        var batches = events / BatchSize;
        await BatchSenders.SendAsync(client, batches, Senders, BatchBody);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (server.CpuTime - cpu).TotalSeconds;
        await stop.CancelAsync();
        await probing;
        queries.Sort();
        health.Sort();
        return new Run(batches * BatchSize, seconds, cpuSeconds, Percentile.Of(queries, 50), Percentile.Of(queries, 99), Percentile.Of(health, 50), Percentile.Of(health, 99));
    }

    private static async Task ProbeAsync(HttpClient client, string path, List<double> times, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using (var response = await client.GetAsync(new Uri(path, UriKind.Relative), CancellationToken.None))
            {
                response.EnsureSuccessStatusCode();
            }

            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>A connection that sends <paramref name="request"/> and never reads what comes back.</summary>
    private static async Task<Socket> OpenStalledAsync(Uri server, string request)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(server.Host, server.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        return socket;
    }

    private static string StreamRequest(Uri server) =>
        $"GET /api/events/stream HTTP/1.1\r\nHost: {server.Authority}\r\nAccept: text/event-stream\r\n\r\n";

    private static string WebSocketRequest(Uri server) =>
        $"GET /api/events/ws HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private static string BatchBody(int batch)
    {
        var builder = new StringBuilder("""{"events":[""");
        for (var i = 0; i < BatchSize; i++)
        {
            builder.Append(i == 0 ? "" : ",")
                .Append("{\"eventName\":\"stall_check\",\"payload\":{\"serviceName\":\"svc-")
                .Append((batch + i) % 10)
                .Append("\",\"statusCode\":200,\"responseTimeMs\":12,\"metadata\":{\"route\":\"/orders/{id}\",\"note\":\"a payload of a realistic size, so that the readers' buffers fill\"}}}");
        }

        return builder.Append("]}").ToString();
    }


    private sealed record Run(int Events, double Seconds, double CpuSeconds, double QueryP50, double QueryP99, double HealthP50, double HealthP99);
}
