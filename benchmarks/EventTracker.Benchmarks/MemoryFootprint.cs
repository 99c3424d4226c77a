using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;
using EventTracker.Server.Validation;
using Microsoft.Extensions.Options;

namespace EventTracker.Benchmarks;

/// <summary>
/// Fills a store with 1,000,000 seed-like events through the server's ingestion path (parse, validate, serialize,
/// append) and prints the process's resident memory before and after, and the ingestion rate.
/// </summary>
internal static class MemoryFootprint
{
    public static void Run(int count)
    {
        var baseline = ProcessMemory.ResidentBytes();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var store = new InMemoryEventStore(Options.Create(new EventStoreOptions { Capacity = count }), TimeProvider.System);
        using var projection = new AnalyticsProjection(store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()), TimeProvider.System, NullLogger<AnalyticsProjection>.Instance);
        using var broadcaster = new EventBroadcaster(store, Options.Create(new StreamOptions()), TimeProvider.System, NullLogger<EventBroadcaster>.Instance);
        var ingestor = new EventIngestor(
            store,
            new SuggestionEngine(store, projection, TimeProvider.System, Options.Create(new SuggestionOptions())),
            projection,
            new PayloadCodec(),
            TimeProvider.System,
            Options.Create(new IngestionOptions()),
            Options.Create(new EventStoreOptions()),
            new EventTracker.Server.Telemetry.ServerMetrics(meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var newEvent = SeedLikeEvents.Create(i);
            var errors = new EventTracker.Server.Validation.ValidationErrors();
            var payload = EventRequestParser.ParsePayload(newEvent.PayloadJson, EventTimeWindow.Unbounded, errors)!;
            ingestor.TrackAsync(newEvent.Name, payload, new TrackHeaders(newEvent.UserId, null, null, null), CancellationToken.None).GetAwaiter().GetResult();
        }

        stopwatch.Stop();
        var filled = ProcessMemory.ResidentBytes();
        Console.WriteLine(new StringBuilder()
            .AppendLine($"events held:            {store.Count:N0}")
            .AppendLine($"ingestion (1 thread):   {count / stopwatch.Elapsed.TotalSeconds:N0} events/s")
            .AppendLine($"RSS before:             {baseline / 1048576.0:N0} MiB")
            .AppendLine($"RSS with events:        {filled / 1048576.0:N0} MiB")
            .AppendLine($"managed heap:           {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:N0} MiB")
            .AppendLine($"bytes per event (RSS):  {(filled - baseline) / (double)count:N0}"));
        GC.KeepAlive(ingestor);
    }
}
