using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using EventTracker.Testing;

namespace EventTracker.Benchmarks;

/// <summary>
/// Ingestion against the floor, in one run: the same load (single-event POSTs of the guide's example from 64
/// connections, then batches of 100 from 16) against <see cref="BareFloor"/>, the server on each of
/// <see cref="HarnessStores"/> (durable default, memory only, PostgreSQL), and the floor again, each in its own
/// process, so drift shows and ratios compare like with like; and the CPU time each server process spent per request,
/// which a shared, noisy machine disturbs less than throughput (PostgreSQL's own processes are not counted).
/// <c>ingest [seconds]</c>.
/// </summary>
internal static class IngestVsFloor
{
    private const int SingleConnections = 64;
    private const int BatchConnections = 16;
    private const int BatchSize = 100;

    // Tiered compilation settles only seconds into the load on two busy cores: before that, the server's per-request
    // cost reads up to twice its steady value (the floor, a few small methods, warms far sooner).
    private static readonly TimeSpan MinimumWarmUp = TimeSpan.FromSeconds(10);
    private static readonly byte[] Single = Encoding.UTF8.GetBytes(
        """{"serviceName":"user-service","statusCode":200,"responseTimeMs":150,"correlationId":"req-12345","metadata":{"feature":"authentication"}}""");

    private static readonly byte[] Batch = Encoding.UTF8.GetBytes(
        "{\"events\":[" + string.Join(",", Enumerable.Range(0, BatchSize).Select(i =>
            $$$"""{"eventName":"api-call","payload":{"serviceName":"api-gateway","statusCode":200,"responseTimeMs":{{{85 + (i % 20)}}}}}""")) + "]}");

    public static async Task RunAsync(int seconds)
    {
        var window = TimeSpan.FromSeconds(seconds);
        if (Environment.GetEnvironmentVariable("INGEST_PROFILE") is { Length: > 0 } store)
        {
            // Only single POSTs against one server (logging as shipped), with its pid printed, for `dotnet-trace collect -p <pid>`.
            var environment = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" };
            if (store == "memory")
            {
                environment["EventTracker__Store__DataDirectory"] = string.Empty;
            }

            await using var server = await ServerProcess.StartAsync(environment);
            Console.WriteLine($"server pid {server.ProcessId}");
            var single = await RequestsPerSecondAsync(server.BaseAddress, "/api/events/track/user-login", Single, SingleConnections, window, () => server.CpuTime);
            Console.WriteLine($"single {single.PerSecond:N0} POST/s, CPU {single.CpuPerRequest:0.0} µs per POST");
            return;
        }

        using var stores = HarnessStores.FromEnvironment();
        await CompareAsync(stores, window, cpus: null);
    }

    /// <summary>
    /// The same comparison with every process pinned to 1, 2 and all of the machine's CPUs in turn (<c>taskset</c>), and
    /// how each figure grows from one CPU. The load comes from this process, unpinned, so on a small machine it competes
    /// with the server for the same CPUs: compare growth with the floor's. PostgreSQL's own processes are not pinned.
    /// <c>scaling [seconds]</c>.
    /// </summary>
    public static async Task ScalingAsync(int seconds)
    {
        var window = TimeSpan.FromSeconds(seconds);
        using var stores = HarnessStores.FromEnvironment();
        var counts = new[] { 1, 2, Environment.ProcessorCount }.Where(n => n <= Environment.ProcessorCount).Distinct().ToList();
        var runs = new List<(int Cpus, Measured Floor, IReadOnlyList<Measured> Servers)>();
        foreach (var count in counts)
        {
            Console.WriteLine($"== pinned to {count} CPU{(count == 1 ? "" : "s")} (taskset -c 0-{count - 1})");
            var (floor, servers) = await CompareAsync(stores, window, $"0-{count - 1}");
            runs.Add((count, floor, servers));
        }

        var one = runs[0];
        foreach (var run in runs.Skip(1))
        {
            Console.WriteLine(
                $"growth from 1 to {run.Cpus} CPUs: floor single {run.Floor.Single / one.Floor.Single:0.00}x, batches {run.Floor.Batches / one.Floor.Batches:0.00}x"
                + string.Concat(stores.Names.Select((store, i) =>
                    $"; {HarnessStores.Label(store)} single {run.Servers[i].Single / one.Servers[i].Single:0.00}x, batches {run.Servers[i].Batches / one.Servers[i].Batches:0.00}x")));
        }
    }

    private static async Task<(Measured Floor, IReadOnlyList<Measured> Servers)> CompareAsync(HarnessStores stores, TimeSpan window, string? cpus)
    {
        var floor1 = await MeasureFloorAsync(window, cpus);
        // Logging as the server's own settings have it (the load harness's default is Warning), as a user runs it.
        var asShipped = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" };
        var servers = new List<Measured>();
        foreach (var store in stores.Names)
        {
            servers.Add(await MeasureServerAsync(stores.Environment(store, asShipped), window, cpus));
        }

        var floor2 = await MeasureFloorAsync(window, cpus);
        var floorSingle = (floor1.Single + floor2.Single) / 2;

        // Batch ingestion is compared, as events per second, with the floor's single POSTs per second.
        var floorCpu = (floor1.SingleCpu + floor2.SingleCpu) / 2;
        Console.WriteLine($"bare floor, 1st and 2nd:   single {floor1.Single:N0} and {floor2.Single:N0} POST/s, CPU {floor1.SingleCpu:0.0} and {floor2.SingleCpu:0.0} µs per POST; batches {floor1.Batches * BatchSize:N0} and {floor2.Batches * BatchSize:N0} events/s");
        for (var i = 0; i < servers.Count; i++)
        {
            Print($"server, {HarnessStores.Label(stores.Names[i])}:", servers[i], floorSingle, floorCpu);
        }

        var floor = new Measured(floorSingle, floorCpu, (floor1.Batches + floor2.Batches) / 2, (floor1.BatchCpu + floor2.BatchCpu) / 2);
        return (floor, servers);
    }

    private static void Print(string name, Measured server, double floorSingle, double floorCpu) =>
        Console.WriteLine(
            $"{name,-27}single {server.Single:N0} POST/s = {server.Single / floorSingle:0.00}x the floor, CPU {server.SingleCpu:0.0} µs per POST = {server.SingleCpu / floorCpu:0.00}x the floor's"
            + (double.IsNaN(server.PostsPerDiskSync) ? "; " : $", {server.PostsPerDiskSync:0.0} POSTs per fsync; ")
            + $"batches {server.Batches * BatchSize:N0} events/s = {server.Batches * BatchSize / floorSingle:0.00}x the floor's POST/s, CPU {server.BatchCpu / BatchSize:0.00} µs per event");

    private static async Task<Measured> MeasureFloorAsync(TimeSpan window, string? cpus)
    {
        using var floor = await BareFloor.StartAsync(cpus);
        return await MeasureAsync(floor.BaseAddress, () => floor.CpuTime, window);
    }

    private static async Task<Measured> MeasureServerAsync(Dictionary<string, string> environment, TimeSpan window, string? cpus)
    {
        await using var server = await ServerProcess.StartAsync(environment, cpus: cpus);
        using var metrics = server.CreateClient();
        return await MeasureAsync(server.BaseAddress, () => server.CpuTime, window, () => DiskSyncsAsync(metrics));
    }

    private static async Task<Measured> MeasureAsync(Uri address, Func<TimeSpan> cpu, TimeSpan window, Func<Task<double>>? diskSyncs = null)
    {
        var syncsBefore = diskSyncs is null ? 0 : await diskSyncs();
        var single = await RequestsPerSecondAsync(address, "/api/events/track/user-login", Single, SingleConnections, window, cpu);
        var syncsAfter = diskSyncs is null ? 0 : await diskSyncs();
        var batches = await RequestsPerSecondAsync(address, "/api/events/track/batch", Batch, BatchConnections, window, cpu);
        return new(
            single.PerSecond, single.CpuPerRequest, batches.PerSecond, batches.CpuPerRequest,
            syncsAfter > syncsBefore ? single.Requests / (syncsAfter - syncsBefore) : double.NaN);
    }

    // The store's fsync count from the server's own metrics (eventtracker.store.disk_syncs), 0 when it keeps no disk.
    private static async Task<double> DiskSyncsAsync(HttpClient server)
    {
        var text = await server.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith("eventtracker_store_disk_syncs", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Successful POSTs per second over <paramref name="window"/>, after a warm-up of a quarter of it but at least
    /// <see cref="MinimumWarmUp"/>; how many were made in all (warm-up included); and the process's CPU time (µs) per
    /// POST counted, measured over the counted span only.
    /// </summary>
    private static async Task<(double PerSecond, long Requests, double CpuPerRequest)> RequestsPerSecondAsync(
        Uri server, string path, byte[] body, int connections, TimeSpan window, Func<TimeSpan> cpu)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var warmUp = window / 4 > MinimumWarmUp ? window / 4 : MinimumWarmUp;
        var warmUpEnds = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var ends = warmUpEnds + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var cpuAtStart = Task.Run(async () =>
        {
            await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), warmUpEnds));
            return cpu();
        });
        var counts = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var (counted, made) = (0, 0);
            while (Stopwatch.GetTimestamp() is var now && now < ends)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(path, content);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{server}{path} answered {(int)response.StatusCode}");
                }

                counted += now >= warmUpEnds ? 1 : 0;
                made++;
            }

            return (Counted: counted, Made: made);
        })));
        var cpuCounted = cpu() - await cpuAtStart;
        var requests = counts.Sum(c => c.Counted);
        return (requests / window.TotalSeconds, counts.Sum(c => (long)c.Made), cpuCounted.TotalMicroseconds / requests);
    }

    /// <summary>Throughput and the process's CPU time per request (µs), of single POSTs and of batches.</summary>
    private readonly record struct Measured(double Single, double SingleCpu, double Batches, double BatchCpu, double PostsPerDiskSync = double.NaN);
}
