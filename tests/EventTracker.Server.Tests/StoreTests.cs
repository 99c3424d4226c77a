using System.Collections.Concurrent;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class StoreTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 8, 27, 0, 0, 0, TimeSpan.Zero));
    private InMemoryEventStore _store;

    public StoreTests() => _store = NewStore(capacity: 5);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void At_capacity_the_oldest_events_are_evicted_and_counted()
    {
        for (var i = 0; i < 8; i++)
        {
            _store.Append(Event($"e{i}", service: i % 2 == 0 ? "even" : "odd", user: "u" + i));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var page = _store.Query(new EventFilter(), null, null, 100, null);

        Assert.Equal(5, _store.Count);
        Assert.Equal(3, _store.EvictedCount);
        Assert.Equal(["e7", "e6", "e5", "e4", "e3"], page.Events.Select(e => e.Name));
        Assert.Empty(_store.Query(new EventFilter { UserId = "u0" }, null, null, 100, null).Events);
        Assert.Equal(0, _store.Query(new EventFilter { EventName = "e2" }, null, null, 100, null).Filtered);
        Assert.Equal(3, _store.Query(new EventFilter { ServiceName = "odd" }, null, null, 100, null).Filtered); // e3, e5, e7
        Assert.Equal(["even", "odd"], _store.Summarize(null, null).Services.Keys.Order());
        Assert.Equal(2, _store.Summarize(null, null).Services["even"].Count); // e4, e6
    }

    [Fact]
    public void Rollups_forget_evicted_events()
    {
        for (var i = 0; i < 7; i++)
        {
            _store.Append(Event(i < 2 ? "boot-error" : "tick", service: "svc", responseTimeMs: i < 2 ? 1000 : 10));
        }

        var svc = _store.Summarize(null, null).Services["svc"];

        Assert.Equal(5, svc.Count);
        Assert.Equal(0, svc.Errors);
        Assert.Equal(10, svc.AverageResponseTime);
        Assert.Equal(["tick"], svc.Names.Keys);
        Assert.InRange(svc.ResponseTimes.Percentile(99)!.Value, 9.5, 10.5);
        Assert.Equal(5, _store.CountPerDay(null, null).Single().Count);
    }

    [Fact]
    public void Events_older_than_the_max_age_are_evicted()
    {
        _store.Dispose();
        _store = NewStore(capacity: 100, maxAge: TimeSpan.FromHours(1));
        _store.Append(Event("old"));
        _time.Advance(TimeSpan.FromMinutes(59));
        _store.Append(Event("recent"));
        _time.Advance(TimeSpan.FromMinutes(2));

        var page = _store.Query(new EventFilter(), null, null, 100, null);

        Assert.Equal(["recent"], page.Events.Select(e => e.Name));
        Assert.Equal(1, page.Total);
        Assert.Equal(1, _store.EvictedCount);
        Assert.Equal(1, _store.Summarize(null, null).Count);
    }

    [Fact]
    public void Client_ids_are_remembered_while_their_event_is_held()
    {
        var first = _store.Append(Event("a", clientId: "id-1"));
        var replay = _store.Append(Event("a", clientId: "id-1"));
        for (var i = 0; i < 5; i++)
        {
            _store.Append(Event("filler"));
        }

        var afterEviction = _store.Append(Event("a", clientId: "id-1"));

        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Same(first.Record, replay.Record);
        Assert.False(afterEviction.Replayed);
    }

    [Fact]
    public void Timestamps_never_go_backwards_even_when_the_clock_does()
    {
        var clock = new SteppingBackClock(_time.GetUtcNow());
        using var store = new InMemoryEventStore(Options.Create(new EventStoreOptions()), clock);
        store.Append(Event("first"));
        clock.Now = clock.Now.AddSeconds(-30);
        store.Append(Event("second"));

        var events = store.Query(new EventFilter(), null, null, 10, null).Events;

        Assert.Equal(events[1].Timestamp, events[0].Timestamp);
        Assert.Equal("second", events[0].Name);
    }

    [Fact]
    public async Task Concurrent_ingestion_and_queries_lose_and_duplicate_nothing()
    {
        _store.Dispose();
        _store = NewStore(capacity: 1_000_000);
        const int writers = 4, perWriter = 25_000;
        var sequences = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var readerStarted = new TaskCompletionSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var page = _store.Query(new EventFilter { ServiceName = "w1" }, null, null, 50, null);
                Assert.True(page.Events.Zip(page.Events.Skip(1)).All(p => p.First.Sequence > p.Second.Sequence));
                _store.Summarize(null, null);
                readerStarted.TrySetResult();
            }
        });

        await readerStarted.Task; // the writers race a reader that is already querying
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                if (i % 10 == 0)
                {
                    var result = _store.AppendBatch($"b-{w}-{i}", [Event("batched", service: "w" + w), Event("batched", service: "w" + w)]);
                    foreach (var record in result.Stored)
                    {
                        sequences.Add(record.Sequence);
                    }

                    i++;
                }
                else
                {
                    sequences.Add(_store.Append(Event("single", service: "w" + w)).Record.Sequence);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await stop.CancelAsync();
        await reader; // rethrows if a query saw an inconsistent page

        Assert.Equal(writers * perWriter, _store.Count);
        Assert.Equal(writers * perWriter, sequences.Distinct().Count());
        Assert.Equal(perWriter, _store.Query(new EventFilter { ServiceName = "w2" }, null, null, 1, null).Filtered);
        Assert.Equal(writers * perWriter, _store.Summarize(null, null).Count);
    }

    private InMemoryEventStore NewStore(int capacity, TimeSpan? maxAge = null) =>
        new(Options.Create(new EventStoreOptions { Capacity = capacity, MaxAge = maxAge }), _time);

    private static NewEvent Event(string name, string? service = null, string? user = null, double? responseTimeMs = null, string? clientId = null) =>
        new(name, service, user, null, null, null, responseTimeMs, clientId, "{}"u8.ToArray());

    /// <summary>A clock that can be set backwards, as a real one is by NTP; FakeTimeProvider refuses to.</summary>
    private sealed class SteppingBackClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
