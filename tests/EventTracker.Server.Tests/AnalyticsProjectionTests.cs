using Microsoft.Extensions.Logging.Abstractions;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using EventTracker.Server.Tests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

/// <summary>Analytics follow the store's change feed, by when events happened.</summary>
public sealed class AnalyticsProjectionTests : IDisposable
{
    private const long Hour = 3_600_000;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 8, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryEventStore _store;
    private readonly AnalyticsProjection _projection;

    public AnalyticsProjectionTests()
    {
        var options = Options.Create(new EventStoreOptions { Capacity = 4 });
        _store = new InMemoryEventStore(options, _time);
        _projection = new AnalyticsProjection(_store, options, Options.Create(new SuggestionOptions()), _time, NullLogger<AnalyticsProjection>.Instance);
    }

    public void Dispose()
    {
        _projection.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Backfilled_events_land_in_the_buckets_and_days_of_when_they_happened()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _store.AppendAsync(Event("live", now), CancellationToken.None);
        await _store.AppendAsync(Event("yesterday", now - (24 * Hour)), CancellationToken.None);
        await _store.AppendAsync(Event("two-hours-ago", now - (2 * Hour)), CancellationToken.None);

        await _projection.CatchUpAsync(CancellationToken.None);

        Assert.Equal(1, _projection.Summarize(now - (3 * Hour), now - Hour).Count);
        Assert.Equal(2, _projection.Summarize(now - (3 * Hour), null).Count);
        Assert.Equal(3, _projection.Summarize(null, null).Count);
        Assert.Equal([(now - (36 * Hour), 1L), (now - (12 * Hour), 2L)], _projection.Read(timeline => timeline.CountPerDay(null, null)));
    }

    [Fact]
    public async Task Evicting_an_out_of_order_event_takes_it_out_of_its_own_bucket()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _store.AppendAsync(Event("yesterday", now - (24 * Hour)), CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            await _store.AppendAsync(Event("live", now), CancellationToken.None);
        }

        await _projection.CatchUpAsync(CancellationToken.None);

        Assert.Equal(4, _projection.Summarize(null, null).Count);
        Assert.Equal(0, _projection.Summarize(null, now - Hour).Count);
        Assert.Single(_projection.Read(timeline => timeline.CountPerDay(null, null)));
    }

    [Fact]
    public async Task Subscribing_late_rebuilds_the_analytics_from_what_the_store_holds()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _store.AppendAsync(Event("a", now - Hour), CancellationToken.None);
        await _store.AppendAsync(Event("b", now), CancellationToken.None);

        using var rebuilt = new AnalyticsProjection(_store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()), _time, NullLogger<AnalyticsProjection>.Instance);

        await rebuilt.CatchUpAsync(CancellationToken.None);

        Assert.Equal(2, rebuilt.Summarize(null, null).Count);
        Assert.Equal(1, rebuilt.Summarize(null, now - 1).Count);
    }

    private static NewEvent Event(string name, long occurredAt) => EventStoreContract.Event(name, service: "svc", occurredAt: occurredAt);
}
