using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Durable;
using EventTracker.Server.Streams;
using EventTracker.Server.Validation;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EventTracker.Benchmarks;

/// <summary>
/// The durable store against memory only, in the same run: batch ingestion into two server processes (memory-only and
/// <see cref="FlushMode.Sync"/>) under the same load, disk bytes per seed-like event, and a restart over a million
/// events on disk (time until the store, analytics and stream ring are ready, and the memory it then holds).
/// </summary>
internal static class DurabilityBenchmark
{
    private const int Senders = 4;
    private const int BatchSize = 100;

    public static async Task RunAsync(int restartEvents, int seconds)
    {
        var memoryOnly = await IngestAsync(inMemory: true, seconds);
        var durable = await IngestAsync(inMemory: false, seconds);
        Console.WriteLine($"batch ingest, memory only:      {memoryOnly.EventsPerSecond:N0} events/s");
        Console.WriteLine($"batch ingest, durable (Sync):   {durable.EventsPerSecond:N0} events/s  (ratio {durable.EventsPerSecond / memoryOnly.EventsPerSecond:0.00})");
        Console.WriteLine($"disk per seed-like event:       {durable.DiskBytes / (double)durable.Events:N0} bytes ({durable.Events:N0} events, {durable.DiskBytes / 1048576.0:N1} MiB)");
        await RestartAsync(restartEvents);
    }

    private static async Task<(double EventsPerSecond, long Events, long DiskBytes)> IngestAsync(bool inMemory, int seconds)
    {
        var environment = inMemory ? new Dictionary<string, string> { ["EventTracker__Store__DataDirectory"] = string.Empty } : null;
        await using var server = await ServerProcess.StartAsync(environment);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            long stored = 0;
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                using var response = await client.PostAsync(EventTrackerRoutes.TrackBatch, new StringContent(Body(sender, batch), Encoding.UTF8, "application/json"));
                stored += (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventResponse))!.ProcessedCount;
            }

            return stored;
        })));
        var elapsed = clock.Elapsed;
        var events = counts.Sum();
        var diskBytes = server.DataDirectory is { Length: > 0 } directory ? DirectoryBytes(directory) : 0;
        return (events / elapsed.TotalSeconds, events, diskBytes);
    }

    private static async Task RestartAsync(int count)
    {
        var directory = Directory.CreateTempSubdirectory("eventtracker-bench-").FullName;
        try
        {
            var options = Options.Create(new EventStoreOptions { Capacity = count, DataDirectory = directory, FlushMode = FlushMode.Never });
            var codec = new PayloadCodec();
            using (var store = new DurableEventStore(options, TimeProvider.System, NullLogger<DurableEventStore>.Instance))
            {
                for (var start = 0; start < count; start += 1000)
                {
                    var batch = Enumerable.Range(start, Math.Min(1000, count - start)).Select(i => SeedLikeEvents.Encoded(codec, i)).ToList();
                    await store.AppendBatchAsync("b" + start, batch, CancellationToken.None);
                }
            }

            var diskBytes = DirectoryBytes(directory);
            Console.WriteLine($"disk per event (codec-encoded): {diskBytes / (double)count:N0} bytes ({diskBytes / 1048576.0:N0} MiB)");

            // Recovery in a process of its own, so its memory is not mixed with what writing the events left behind.
            var host = Environment.ProcessPath!;
            string[] arguments = ["recover", directory, count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            var info = new ProcessStartInfo(host, Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(DurabilityBenchmark).Assembly.Location, .. arguments] : arguments)
            {
                RedirectStandardOutput = true,
            };
            using var recovery = Process.Start(info)!;
            Console.Write(await recovery.StandardOutput.ReadToEndAsync());
            await recovery.WaitForExitAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Opens the store in <paramref name="directory"/> with everything that follows it, and prints how long that took and the memory held.</summary>
    public static void Recover(string directory, int capacity)
    {
        var baseline = ProcessMemory.ResidentBytes();
        var options = Options.Create(new EventStoreOptions { Capacity = capacity, DataDirectory = directory });
        var clock = Stopwatch.StartNew();
        using var store = new DurableEventStore(options, TimeProvider.System, NullLogger<DurableEventStore>.Instance);
        using var projection = new AnalyticsProjection(store, options, Options.Create(new SuggestionOptions()), TimeProvider.System, NullLogger<AnalyticsProjection>.Instance);
        using var broadcaster = new EventBroadcaster(store, Options.Create(new StreamOptions()), TimeProvider.System, NullLogger<EventBroadcaster>.Instance);
        var ready = clock.Elapsed;
        var held = ProcessMemory.ResidentBytes();
        Console.WriteLine($"restart over {capacity:N0} events:   ready in {ready.TotalSeconds:N2} s ({store.Count:N0} held, {projection.Summarize(null, null).Count:N0} in analytics)");
        Console.WriteLine($"RSS after recovery:             {held / 1048576.0:N0} MiB ({baseline / 1048576.0:N0} MiB before opening; managed heap {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:N0} MiB)");
    }

    private static string Body(int sender, int batch) => SeedLikeEvents.BatchBody((batch * BatchSize) + (sender * 10_000_000), BatchSize);

    private static long DirectoryBytes(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
}
