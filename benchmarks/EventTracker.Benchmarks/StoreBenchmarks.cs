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
            _store.AppendAsync(SeedLikeEvents.Create(i)).AsTask().GetAwaiter().GetResult();
        }

        _projection = new AnalyticsProjection(_store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()));
        _analytics = new ServiceAnalytics(_projection, _store);
        _incoming = Enumerable.Range(Held, 4096).Select(SeedLikeEvents.Create).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _projection.Dispose();
        _store.Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Unfiltered_page_of_100() => _store.Query(new EventFilter(), null, null, 100, null).Events.Count;

    [Benchmark]
    public async Task<long> Append_at_capacity() => (await _store.AppendAsync(_incoming[_next++ & 4095])).Record.Sequence;

    [Benchmark]
    public int By_service_page_of_100() => _store.Query(new EventFilter { ServiceName = "payment-service" }, null, null, 100, null).Events.Count;

    [Benchmark]
    public int By_user_all_matches_counted() => _store.Query(new EventFilter { UserId = "user-4242" }, null, null, 100, null).Events.Count;

    [Benchmark]
    public int By_correlation_id() => _store.Query(new EventFilter { CorrelationId = "req-123456" }, null, null, 100, null).Events.Count;

    [Benchmark]
    public int By_service_and_event_name() => _store.Query(new EventFilter { ServiceName = "payment-service", EventName = "event-3" }, null, null, 100, null).Events.Count;

    [Benchmark]
    public EventStatistics Statistics() => _analytics.GetStatistics(null, null);

    [Benchmark]
    public ServicesResponse Services_last_hour() => _analytics.GetServices(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds(), null, null);
}
