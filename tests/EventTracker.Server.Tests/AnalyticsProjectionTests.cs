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

    [Fact]
    public async Task Many_appenders_catching_up_at_once_each_find_their_own_event_counted()
    {
        var options = Options.Create(new EventStoreOptions());
        using var store = new InMemoryEventStore(options, _time);
        using var projection = new AnalyticsProjection(store, options, Options.Create(new SuggestionOptions()), _time, NullLogger<AnalyticsProjection>.Instance);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();

        // As 64 concurrent requests do: append, then wait until the analytics include the append, then read them.
        var counts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var seen = new List<long>();
            for (var j = 0; j < 50; j++)
            {
                var appended = await store.AppendAsync(Event("e" + i, now), CancellationToken.None);
                await projection.CatchUpAsync(appended.Record.Sequence, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                seen.Add(projection.Summarize(null, null).Services["svc"].Names["e" + i].Count - (j + 1));
            }

            return seen;
        })));

        Assert.All(counts.SelectMany(c => c), missing => Assert.True(missing >= 0, $"{-missing} of a caller's own events were not counted yet"));
        Assert.Equal(64 * 50, projection.Summarize(null, null).Count);
    }

    private static NewEvent Event(string name, long occurredAt) => EventStoreContract.Event(name, service: "svc", occurredAt: occurredAt);
}
