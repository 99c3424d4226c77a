using Microsoft.Extensions.Logging.Abstractions;
using BenchmarkDotNet.Attributes;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Benchmarks;

/// <summary>
/// The store at 1,000,000 held events: appending (with eviction, as the store is full), indexed queries of one
/// page, and the analytics endpoints' work. The baseline is an unfiltered page of 100, the cheapest read.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class StoreBenchmarks
{
    private const int Held = 1_000_000;
    private InMemoryEventStore _store = null!;
    private AnalyticsProjection _projection = null!;
    private ServiceAnalytics _analytics = null!;
    private NewEvent[] _incoming = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryEventStore(Options.Create(new EventStoreOptions { Capacity = Held }), TimeProvider.System);
        for (var i = 0; i < Held; i++)
        {
            _store.AppendAsync(SeedLikeEvents.Create(i), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        _projection = new AnalyticsProjection(_store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()), TimeProvider.System, NullLogger<AnalyticsProjection>.Instance);
        _analytics = new ServiceAnalytics(_projection, new FilteredAnalytics(_store, _projection), _store, TimeProvider.System);
        _incoming = Enumerable.Range(Held, 4096).Select(SeedLikeEvents.Create).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _projection.Dispose();
        _store.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Unfiltered_page_of_100() => (await _store.QueryAsync(new EventFilter(), null, null, 100, null, CancellationToken.None)).Events.Count;

    [Benchmark]
    public async Task<long> Append_at_capacity() => (await _store.AppendAsync(_incoming[_next++ & 4095], CancellationToken.None)).Record.Sequence;

    [Benchmark]
    public async Task<int> By_service_page_of_100() => (await _store.QueryAsync(new EventFilter { ServiceName = "payment-service" }, null, null, 100, null, CancellationToken.None)).Events.Count;

    [Benchmark]
    public async Task<int> By_user_all_matches_counted() => (await _store.QueryAsync(new EventFilter { UserId = "user-4242" }, null, null, 100, null, CancellationToken.None)).Events.Count;

    [Benchmark]
    public async Task<int> By_correlation_id() => (await _store.QueryAsync(new EventFilter { CorrelationId = "req-123456" }, null, null, 100, null, CancellationToken.None)).Events.Count;

    [Benchmark]
    public async Task<int> By_service_and_event_name() => (await _store.QueryAsync(new EventFilter { ServiceName = "payment-service", EventName = "event-3" }, null, null, 100, null, CancellationToken.None)).Events.Count;

    [Benchmark]
    public async Task<EventStatistics> Statistics() => await _analytics.GetStatisticsAsync(new EventFilter(), null, null, CancellationToken.None);

    [Benchmark]
    public async Task<ServicesResponse> Services_last_hour() => await _analytics.GetServicesAsync(new EventFilter(), DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds(), null, CancellationToken.None);
}
