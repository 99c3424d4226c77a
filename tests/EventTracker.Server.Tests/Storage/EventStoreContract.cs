using System.Collections.Concurrent;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Storage;

/// <summary>
/// What every <see cref="IEventStore"/> must do. Each store's test class derives from this one and says how to open
/// (and reopen) the store; the tests are the same for all.
/// </summary>
public abstract class EventStoreContract : IDisposable
{
    private IEventStore? _store;

    /// <summary>The clock the store runs on.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 8, 27, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Whether the store keeps its events across a restart.</summary>
    protected abstract bool IsDurable { get; }

    internal IEventStore Store => _store ??= Open(new EventStoreOptions());

    public void Dispose()
    {
        Close();
        CleanUp();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the store with <paramref name="options"/>; a durable store opens over the same data each time.</summary>
    internal abstract IEventStore Open(EventStoreOptions options);

    /// <summary>Deletes whatever the store left behind.</summary>
    protected virtual void CleanUp()
    {
    }

    [Fact]
    public async Task An_appended_event_comes_back_with_its_columns_and_payload()
    {
        var result = await Store.AppendAsync(new NewEvent("user-login", "auth", "u1", "s1", "c1", 201, 12.5, "client-1", """{"metadata":{"k":1}}"""u8.ToArray())
        {
            UserAgent = "agent",
            Referrer = "https://example.test",
            UserRole = "admin",
        });

        var held = Assert.Single(Store.Query(new EventFilter(), null, null, 10, null).Events);
        Assert.False(result.Replayed);
        Assert.Equal(result.Record.Sequence, held.Sequence);
        Assert.Equal(("user-login", "auth", "u1", "s1", "c1", 201, 12.5, "client-1"),
            (held.Name, held.ServiceName, held.UserId, held.SessionId, held.CorrelationId, held.StatusCode, held.ResponseTimeMs, held.ClientEventId));
        Assert.Equal(("agent", "https://example.test", "admin"), (held.UserAgent, held.Referrer, held.UserRole));
        Assert.Equal("""{"metadata":{"k":1}}""", System.Text.Encoding.UTF8.GetString(held.PayloadJson));
        Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), held.Timestamp);
        Assert.Equal(1, Store.Count);
    }

    [Fact]
    public async Task A_client_id_is_acknowledged_again_while_its_event_is_held_and_stored_anew_after()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 5 });
        var first = await store.AppendAsync(Event("a", clientId: "id-1"));
        var replay = await store.AppendAsync(Event("a", clientId: "id-1"));
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync(Event("filler"));
        }

        var afterEviction = await store.AppendAsync(Event("a", clientId: "id-1"));

        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(first.Record.Sequence, replay.Record.Sequence);
        Assert.False(afterEviction.Replayed);
        Assert.Equal(5, store.Count);
    }

    [Fact]
    public async Task A_batch_is_stored_whole_with_consecutive_sequences_and_one_time()
    {
        await Store.AppendAsync(Event("before", clientId: "known"));
        Time.Advance(TimeSpan.FromSeconds(1));

        var result = await Store.AppendBatchAsync("batch-1", [Event("a"), Event("b", clientId: "known"), Event("c", clientId: "twice"), Event("d", clientId: "twice")]);

        Assert.False(result.Replayed);
        Assert.Equal(2, result.ProcessedCount);
        Assert.Equal(["a", "c"], result.Stored.Select(r => r.Name));
        Assert.Equal(result.Stored[0].Sequence + 1, result.Stored[1].Sequence);
        Assert.All(result.Stored, r => Assert.Equal(Time.GetUtcNow().ToUnixTimeMilliseconds(), r.Timestamp));
        Assert.Equal(3, Store.Count);
    }

    [Fact]
    public async Task A_replayed_batch_id_is_answered_as_the_first_time_and_stores_nothing()
    {
        var first = await Store.AppendBatchAsync("batch-1", [Event("a"), Event("b")]);
        Time.Advance(TimeSpan.FromMinutes(1));

        var replay = await Store.AppendBatchAsync("batch-1", [Event("a"), Event("b"), Event("c")]);

        Assert.True(replay.Replayed);
        Assert.Empty(replay.Stored);
        Assert.Equal((2, first.Timestamp), (replay.ProcessedCount, replay.Timestamp));
        Assert.Equal(2, Store.Count);
    }

    [Fact]
    public async Task Concurrent_appends_of_the_same_client_id_store_it_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Store.AppendAsync(Event("same", clientId: "one")).AsTask()));

        Assert.Single(results, r => !r.Replayed);
        Assert.Single(results.Select(r => r.Record.Sequence).Distinct());
        Assert.Equal(1, Store.Count);
    }

    [Theory]
    [InlineData("serviceName=pay", "p-view,p-error,p-login")]
    [InlineData("eventName=p-login", "p-login")]
    [InlineData("type=LOG", "x-login,p-login")]
    [InlineData("type=error&serviceName=pay", "p-error")]
    [InlineData("userId=u2", "x-login,p-error")]
    [InlineData("correlationId=c1", "p-view,p-login")]
    [InlineData("sessionId=s9", "x-login")]
    [InlineData("serviceName=pay&userId=u2", "p-error")]
    [InlineData("serviceName=none", "")]
    [InlineData("eventName=p-login&userId=u2", "")]
    [InlineData("", "x-login,p-view,p-error,p-login")]
    public async Task Every_filter_selects_exactly_the_matching_events_newest_first(string query, string expected)
    {
        await Store.AppendAsync(Event("p-login", service: "pay", user: "u1", correlation: "c1"));
        await Store.AppendAsync(Event("p-error", service: "pay", user: "u2"));
        await Store.AppendAsync(Event("p-view", service: "pay", correlation: "c1"));
        await Store.AppendAsync(Event("x-login", service: "other", user: "u2", session: "s9"));
        var parts = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var filter = new EventFilter
        {
            ServiceName = parts.GetValueOrDefault("serviceName"),
            EventName = parts.GetValueOrDefault("eventName"),
            Type = parts.GetValueOrDefault("type"),
            UserId = parts.GetValueOrDefault("userId"),
            CorrelationId = parts.GetValueOrDefault("correlationId"),
            SessionId = parts.GetValueOrDefault("sessionId"),
        };

        var page = Store.Query(filter, null, null, 100, null);

        var names = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names, page.Events.Select(e => e.Name));
        Assert.Equal(names.Length, page.Filtered);
        Assert.Equal(4, page.Total);
        Assert.Equal(page.Events.Select(e => e.ServiceName!).Distinct().Order(StringComparer.Ordinal), page.Services);
    }

    [Fact]
    public async Task A_time_range_includes_both_ends()
    {
        var start = Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendAsync(Event("e" + i));
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var minute = 60_000;
        var page = Store.Query(new EventFilter(), start + minute, start + (3 * minute), 100, null);

        Assert.Equal(["e3", "e2", "e1"], page.Events.Select(e => e.Name));
        Assert.Equal(3, page.Filtered);
        Assert.Empty(Store.Query(new EventFilter(), start + (10 * minute), null, 100, null).Events);
        Assert.Equal(["e0"], Store.Query(new EventFilter(), null, start, 100, null).Events.Select(e => e.Name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a")]
    [InlineData("type")]
    public async Task Paging_with_the_cursor_visits_every_event_once_while_others_arrive_out_of_order(string? filter)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            await Store.AppendAsync(Event(i % 2 == 0 ? "old-x" : "old-y", service: i % 3 == 0 ? "a" : "b", occurredAt: now - random.Next(600_000)));
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var late = new Random(11);
            while (!stop.IsCancellationRequested)
            {
                await Store.AppendAsync(Event("new", service: "a", occurredAt: now - late.Next(600_000)));
            }
        });

        var query = filter switch
        {
            "a" => new EventFilter { ServiceName = "a" },
            "type" => new EventFilter { Type = "OLD-" },
            _ => new EventFilter(),
        };
        var seen = new List<EventRecord>();
        EventPosition? cursor = null;
        do
        {
            var page = Store.Query(query, null, null, 7, cursor);
            Assert.True(page.Events.Zip(page.Events.Skip(1)).All(p => EventPosition.Of(p.First) > EventPosition.Of(p.Second)), "newest first");
            Assert.True(cursor is null || page.Events.All(e => EventPosition.Of(e) < cursor.Value), "every page after the cursor");
            seen.AddRange(page.Events);
            cursor = page.NextBefore;
        }
        while (cursor is not null);

        await stop.CancelAsync();
        await writer;
        var old = seen.Where(e => e.Name.StartsWith("old", StringComparison.Ordinal)).ToList();
        Assert.Equal(filter == "a" ? 100 : 300, old.Count);
        Assert.Equal(old.Count, old.Select(e => e.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task Events_are_placed_by_when_they_happened_whatever_order_they_arrive_in()
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        const long minute = 60_000;
        await Store.AppendAsync(Event("now-login", service: "a", occurredAt: now));
        await Store.AppendAsync(Event("ten-ago-login", service: "a", occurredAt: now - (10 * minute)));
        await Store.AppendBatchAsync("late", [Event("five-ago-view", service: "b", occurredAt: now - (5 * minute)), Event("arrival-view", service: "a")]);
        await Store.AppendAsync(Event("two-ago-login", service: "a", occurredAt: now - (2 * minute)));

        string[] Names(EventFilter filter, long? from = null, long? to = null) =>
            [.. Store.Query(filter, from, to, 100, null).Events.Select(e => e.Name)];

        Assert.Equal(["arrival-view", "now-login", "two-ago-login", "five-ago-view", "ten-ago-login"], Names(new EventFilter()));
        Assert.Equal(["arrival-view", "now-login", "two-ago-login", "ten-ago-login"], Names(new EventFilter { ServiceName = "a" }));
        Assert.Equal(["now-login", "two-ago-login", "ten-ago-login"], Names(new EventFilter { Type = "login" }));
        Assert.Equal(["arrival-view", "five-ago-view"], Names(new EventFilter { Type = "view" }));
        Assert.Equal(["two-ago-login", "five-ago-view"], Names(new EventFilter(), now - (6 * minute), now - minute));
        Assert.Equal(["ten-ago-login"], Names(new EventFilter { ServiceName = "a" }, null, now - (3 * minute)));
        var page = Store.Query(new EventFilter(), null, null, 100, null);
        Assert.Equal(now - (10 * minute), page.EarliestTimestamp);
        Assert.All(page.Events, e => Assert.Equal(now, e.ReceivedAt));
    }

    [Fact]
    public async Task Capacity_evicts_the_earliest_arrivals_even_when_they_happened_last()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 3 });
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.AppendAsync(Event("first-arrival", service: "s", occurredAt: now));
        await store.AppendAsync(Event("b", service: "s", occurredAt: now - 3000));
        await store.AppendAsync(Event("c", service: "s", occurredAt: now - 1000));
        await store.AppendAsync(Event("d", service: "s", occurredAt: now - 2000));

        Assert.Equal(["c", "d", "b"], store.Query(new EventFilter(), null, null, 10, null).Events.Select(e => e.Name));
        Assert.Equal(["c", "d", "b"], store.Query(new EventFilter { ServiceName = "s" }, null, null, 10, null).Events.Select(e => e.Name));
        Assert.Equal(3, store.Query(new EventFilter { ServiceName = "s" }, null, null, 10, null).Filtered);
    }

    [Fact]
    public async Task At_capacity_the_oldest_events_are_evicted_and_counted()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 5 });
        for (var i = 0; i < 8; i++)
        {
            await store.AppendAsync(Event($"e{i}", service: i % 2 == 0 ? "even" : "odd", user: "u" + i));
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var page = store.Query(new EventFilter(), null, null, 100, null);

        Assert.Equal(5, store.Count);
        Assert.Equal(3, store.EvictedCount);
        Assert.Equal(["e7", "e6", "e5", "e4", "e3"], page.Events.Select(e => e.Name));
        Assert.Empty(store.Query(new EventFilter { UserId = "u0" }, null, null, 100, null).Events);
        Assert.Equal(0, store.Query(new EventFilter { EventName = "e2" }, null, null, 100, null).Filtered);
        Assert.Equal(3, store.Query(new EventFilter { ServiceName = "odd" }, null, null, 100, null).Filtered);
    }

    [Fact]
    public async Task Events_older_than_the_max_age_are_evicted()
    {
        var store = Reopen(new EventStoreOptions { MaxAge = TimeSpan.FromHours(1) });
        await store.AppendAsync(Event("old"));
        Time.Advance(TimeSpan.FromMinutes(59));
        await store.AppendAsync(Event("recent"));
        Time.Advance(TimeSpan.FromMinutes(2));

        store.EvictExpired();
        var page = store.Query(new EventFilter(), null, null, 100, null);

        Assert.Equal(["recent"], page.Events.Select(e => e.Name));
        Assert.Equal(1, page.Total);
        Assert.Equal(1, store.EvictedCount);
    }

    [Fact]
    public async Task Timestamps_never_go_backwards_even_when_the_clock_does()
    {
        var clock = new SteppingBackClock(Time.GetUtcNow());
        using var store = new InMemoryEventStore(Microsoft.Extensions.Options.Options.Create(new EventStoreOptions()), clock);
        await store.AppendAsync(Event("first"));
        clock.Now = clock.Now.AddSeconds(-30);
        await store.AppendAsync(Event("second"));

        var events = store.Query(new EventFilter(), null, null, 10, null).Events;

        Assert.Equal(events[1].Timestamp, events[0].Timestamp);
        Assert.Equal("second", events[0].Name);
    }

    [Fact]
    public async Task Observers_hear_of_held_events_then_of_every_append_and_eviction_in_order()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 3 });
        await store.AppendAsync(Event("held"));
        var observer = new RecordingObserver();
        using (store.Subscribe(observer))
        {
            await store.AppendBatchAsync("b", [Event("x"), Event("y"), Event("z")]);
        }

        await store.AppendAsync(Event("unheard"));

        Assert.Equal(["held", "+x", "+y", "-held", "+z"], observer.Log);
    }

    [Fact]
    public async Task Concurrent_ingestion_and_queries_lose_and_duplicate_nothing()
    {
        const int writers = 4, perWriter = 5_000;
        var sequences = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var readerStarted = new TaskCompletionSource();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var page = Store.Query(new EventFilter { ServiceName = "w1" }, null, null, 50, null);
                Assert.True(page.Events.Zip(page.Events.Skip(1)).All(p => p.First.Sequence > p.Second.Sequence));
                readerStarted.TrySetResult();
            }
        });

        await readerStarted.Task;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                if (i % 10 == 0)
                {
                    var result = await Store.AppendBatchAsync($"b-{w}-{i}", [Event("batched", service: "w" + w), Event("batched", service: "w" + w)]);
                    foreach (var record in result.Stored)
                    {
                        sequences.Add(record.Sequence);
                    }

                    i++;
                }
                else
                {
                    sequences.Add((await Store.AppendAsync(Event("single", service: "w" + w))).Record.Sequence);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await stop.CancelAsync();
        await reader;

        Assert.Equal(writers * perWriter, Store.Count);
        Assert.Equal(writers * perWriter, sequences.Distinct().Count());
        Assert.Equal(perWriter, Store.Query(new EventFilter { ServiceName = "w2" }, null, null, 1, null).Filtered);
    }

    [Fact]
    public async Task A_restart_keeps_every_event_with_its_id_and_the_replay_ledger_or_starts_with_new_ids()
    {
        var single = await Store.AppendAsync(Event("single", service: "svc", clientId: "client-1", occurredAt: Time.GetUtcNow().ToUnixTimeMilliseconds() - 90_000));
        var batch = await Store.AppendBatchAsync("batch-1", [Event("b1", clientId: "client-2"), Event("b2")]);
        var before = Store.Query(new EventFilter(), null, null, 100, null).Events.Select(Describe).ToList();
        Time.Advance(TimeSpan.FromMinutes(5));

        var store = Reopen(new EventStoreOptions());

        if (IsDurable)
        {
            Assert.Equal(before, store.Query(new EventFilter(), null, null, 100, null).Events.Select(Describe));
            Assert.True((await store.AppendAsync(Event("single", clientId: "client-1"))).Replayed);
            var replay = await store.AppendBatchAsync("batch-1", [Event("b1"), Event("b2")]);
            Assert.True(replay.Replayed);
            Assert.Equal((2, batch.Timestamp), (replay.ProcessedCount, replay.Timestamp));
            Assert.Equal(3, store.Count);
            Assert.Equal(["svc"], store.Query(new EventFilter { ServiceName = "svc" }, null, null, 10, null).Services);
        }
        else
        {
            Assert.Equal(0, store.Count);
        }

        var next = await store.AppendAsync(Event("after"));
        Assert.True(next.Record.Sequence > batch.Stored[^1].Sequence, "ids never repeat across a restart");
        Assert.True(single.Record.Sequence < batch.Stored[0].Sequence);
    }

    /// <summary>Closes the current store and opens it again with <paramref name="options"/>.</summary>
    internal IEventStore Reopen(EventStoreOptions options)
    {
        Close();
        _store = Open(options);
        return _store;
    }

    internal static NewEvent Event(
        string name, string? service = null, string? user = null, string? clientId = null, string? correlation = null, string? session = null,
        long? occurredAt = null) =>
        new(name, service, user, session, correlation, null, null, clientId, "{}"u8.ToArray()) { OccurredAt = occurredAt };

    private static string Describe(EventRecord e) => $"{EventIds.Format(e.Sequence)} {e.Name} {e.ServiceName} {e.Timestamp} {e.ReceivedAt} {e.ClientEventId}";

    private void Close()
    {
        (_store as IDisposable)?.Dispose();
        _store = null;
    }

    private sealed class RecordingObserver : IEventStoreObserver
    {
        public List<string> Log { get; } = [];

        public void OnSubscribed(IReadOnlyList<EventRecord> held, long nextSequence) => Log.AddRange(held.Select(r => r.Name));

        public void OnAppended(IReadOnlyList<EventRecord> records) => Log.AddRange(records.Select(r => "+" + r.Name));

        public void OnEvicted(EventRecord record) => Log.Add("-" + record.Name);
    }

    /// <summary>A clock that can be set backwards, as a real one is by NTP; FakeTimeProvider refuses to.</summary>
    private sealed class SteppingBackClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
