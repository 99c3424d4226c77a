using System.Collections.Concurrent;
using System.Globalization;
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
        }, CancellationToken.None);

        var held = Assert.Single((await Store.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None)).Events);
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
    public async Task A_batch_is_stored_whole_with_consecutive_sequences_and_one_time()
    {
        await Store.AppendAsync(Event("before", clientId: "known"), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(1));

        var result = await Store.AppendBatchAsync("batch-1", [Event("a"), Event("b", clientId: "known"), Event("c", clientId: "twice"), Event("d", clientId: "twice")], CancellationToken.None);

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
        var first = await Store.AppendBatchAsync("batch-1", [Event("a"), Event("b")], CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));

        var replay = await Store.AppendBatchAsync("batch-1", [Event("a"), Event("b"), Event("c")], CancellationToken.None);

        Assert.True(replay.Replayed);
        Assert.Empty(replay.Stored);
        Assert.Equal((2, first.Timestamp), (replay.ProcessedCount, replay.Timestamp));
        Assert.Equal(2, Store.Count);
    }

    [Fact]
    public async Task Concurrent_appends_of_the_same_client_id_store_it_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Store.AppendAsync(Event("same", clientId: "one"), CancellationToken.None).AsTask()));

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
        await Store.AppendAsync(Event("p-login", service: "pay", user: "u1", correlation: "c1"), CancellationToken.None);
        await Store.AppendAsync(Event("p-error", service: "pay", user: "u2"), CancellationToken.None);
        await Store.AppendAsync(Event("p-view", service: "pay", correlation: "c1"), CancellationToken.None);
        await Store.AppendAsync(Event("x-login", service: "other", user: "u2", session: "s9"), CancellationToken.None);
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

        var page = (await Store.QueryAsync(filter, null, null, 100, null, CancellationToken.None));

        var names = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names, page.Events.Select(e => e.Name));
        Assert.Equal(names.Length, page.Filtered);
        Assert.Equal(4, page.Total);
        Assert.Equal(page.Events.Select(e => e.ServiceName!).Distinct().Order(StringComparer.Ordinal), page.Services);
    }

    [Theory]
    [InlineData("errorsOnly", null, null, "ERROR-banner,page-view,PaymentException,payment-failed,card-declined,checkout,health")]
    [InlineData("statusClass=5", null, null, "checkout,health")]
    [InlineData("statusClass=4", null, null, "page-view,card-declined")]
    [InlineData("statusClass=3", null, null, "redirect")]
    [InlineData("statusClass=2", null, null, "PaymentException,checkout-ok")]
    [InlineData("statusClass=1", null, null, "")]
    [InlineData("errorsOnly&serviceName=pay", null, null, "payment-failed,card-declined,checkout")]
    [InlineData("statusClass=4&serviceName=web", null, null, "page-view")]
    [InlineData("errorsOnly&statusClass=2", null, null, "PaymentException")]
    [InlineData("errorsOnly&type=FAIL", null, null, "payment-failed")]
    [InlineData("errorsOnly&userId=u1", null, null, "ERROR-banner,card-declined,health")]
    [InlineData("errorsOnly", 8, 4, "page-view,PaymentException,payment-failed,card-declined,checkout")]
    [InlineData("errorsOnly&serviceName=pay", 7, 6, "payment-failed,card-declined")]
    [InlineData("statusClass=5", null, 9, "health")]
    [InlineData("statusClass=5&serviceName=pay", 9, 2, "checkout")]
    [InlineData("statusClass=2&serviceName=web", 4, null, "")]
    public async Task Errors_only_and_status_class_select_by_status_and_name_alone_and_with_other_fields_and_a_time_range(
        string query, int? fromMinutesAgo, int? toMinutesAgo, string expected)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        (string Name, string? Service, int? Status, int MinutesAgo, string? User)[] events =
        [
            ("health", null, 503, 10, "u1"), ("checkout-ok", "pay", 200, 9, null), ("checkout", "pay", 502, 8, null),
            ("card-declined", "pay", 402, 7, "u1"), ("payment-failed", "pay", null, 6, null), ("PaymentException", "web", 201, 5, null),
            ("page-view", "web", 404, 4, null), ("ERROR-banner", "web", null, 3, "u1"), ("redirect", "web", 301, 2, "u1"),
        ];
        foreach (var (name, service, status, minutesAgo, user) in events)
        {
            await Store.AppendAsync(Event(name, service, user, occurredAt: now - (minutesAgo * 60_000L), status: status), CancellationToken.None);
        }

        var parts = query.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1));
        var filter = new EventFilter
        {
            ServiceName = parts.GetValueOrDefault("serviceName"),
            Type = parts.GetValueOrDefault("type"),
            UserId = parts.GetValueOrDefault("userId"),
            ErrorsOnly = parts.ContainsKey("errorsOnly") ? true : null,
            StatusClass = parts.TryGetValue("statusClass", out var statusClass) ? int.Parse(statusClass!, CultureInfo.InvariantCulture) : null,
        };

        var page = await Store.QueryAsync(filter, now - (fromMinutesAgo * 60_000L), now - (toMinutesAgo * 60_000L), 100, null, CancellationToken.None);

        var names = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names, page.Events.Select(e => e.Name));
        Assert.Equal(names.Length, page.Filtered);
        Assert.Equal(page.Events.Where(e => e.ServiceName is not null).Select(e => e.ServiceName!).Distinct().Order(StringComparer.Ordinal), page.Services);
        var paged = await Store.QueryAsync(filter, now - (fromMinutesAgo * 60_000L), now - (toMinutesAgo * 60_000L), 1, null, CancellationToken.None);
        Assert.Equal(names.Take(1), paged.Events.Select(e => e.Name));
        Assert.Equal(names.Length > 1, paged.NextBefore is not null);
    }

    [Fact]
    public async Task A_time_range_includes_both_ends()
    {
        var start = Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendAsync(Event("e" + i), CancellationToken.None);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var minute = 60_000;
        var page = (await Store.QueryAsync(new EventFilter(), start + minute, start + (3 * minute), 100, null, CancellationToken.None));

        Assert.Equal(["e3", "e2", "e1"], page.Events.Select(e => e.Name));
        Assert.Equal(3, page.Filtered);
        Assert.Empty((await Store.QueryAsync(new EventFilter(), start + (10 * minute), null, 100, null, CancellationToken.None)).Events);
        Assert.Equal(["e0"], (await Store.QueryAsync(new EventFilter(), null, start, 100, null, CancellationToken.None)).Events.Select(e => e.Name));
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
            await Store.AppendAsync(Event(i % 2 == 0 ? "old-x" : "old-y", service: i % 3 == 0 ? "a" : "b", occurredAt: now - random.Next(600_000)), CancellationToken.None);
        }

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var late = new Random(11);
            while (!stop.IsCancellationRequested)
            {
                await Store.AppendAsync(Event("new", service: "a", occurredAt: now - late.Next(600_000)), CancellationToken.None);
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
            var page = (await Store.QueryAsync(query, null, null, 7, cursor, CancellationToken.None));
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
    public async Task Match_counts_and_services_are_exact_however_a_range_cuts_minutes_hours_and_days()
    {
        // Events on and beside minute and hour boundaries over three hours, and beside the two midnights before them,
        // some without a service.
        const long minute = 60_000, hour = 3_600_000, day = 86_400_000;
        var start = Time.GetUtcNow().ToUnixTimeMilliseconds() - (3 * hour);
        var midnight = start - (start % day) - day - start;
        long[] offsets =
        [
            0, 1, minute - 1, minute, minute + 1, 59 * minute, hour - 1, hour, hour + 1, hour + (30 * minute) + 7, (2 * hour) - 1, 2 * hour,
            (2 * hour) + minute, (3 * hour) - 1, midnight - 1, midnight, midnight + hour + 1, midnight + day - minute, midnight + day, midnight + day + 1,
        ];
        var events = offsets.Select((offset, i) => Event(
            i % 3 == 0 ? "page-view" : i % 3 == 1 ? "api-error" : "login", service: i % 4 == 3 ? null : i % 2 == 0 ? "web" : "api", occurredAt: start + offset)).ToList();
        await Store.AppendBatchAsync("boundaries", events, CancellationToken.None);

        (long? From, long? To)[] ranges =
        [
            (null, null), (start, null), (null, start + hour), (start + 1, start + (2 * hour)), (start + minute, start + hour - 1),
            (start + minute - 1, start + (2 * hour) + 1), (start + hour, start + hour), (start + 2, start + minute - 2), (start + hour + 1, null),
            (start - hour, start + (3 * hour)), (start + midnight, null), (start + midnight - 1, start + midnight + day), (start + midnight + 1, start + 1),
            (start + midnight - hour, start + midnight + day + hour), (start + midnight + day + 1, start + (2 * hour)),
        ];
        EventFilter[] filters = [new(), new() { ServiceName = "web" }, new() { EventName = "login" }, new() { Type = "ERROR" }, new() { ServiceName = "api", Type = "e" }];
        foreach (var (from, to) in ranges)
        {
            foreach (var filter in filters)
            {
                var expected = events.Where(e =>
                    e.OccurredAt >= (from ?? long.MinValue) && e.OccurredAt <= (to ?? long.MaxValue)
                    && (filter.ServiceName is null || e.ServiceName == filter.ServiceName)
                    && (filter.EventName is null || e.Name == filter.EventName)
                    && (filter.Type is null || e.Name.Contains(filter.Type, StringComparison.OrdinalIgnoreCase))).ToList();

                var page = await Store.QueryAsync(filter, from, to, 1, null, CancellationToken.None);

                var range = $"{from - start}..{to - start} {filter.ServiceName}/{filter.EventName}/{filter.Type}";
                Assert.True(expected.Count == page.Filtered, $"{range}: {page.Filtered} counted, {expected.Count} match");
                Assert.True(
                    expected.Where(e => e.ServiceName is not null).Select(e => e.ServiceName!).Distinct().Order(StringComparer.Ordinal).SequenceEqual(page.Services),
                    $"{range}: services {string.Join(",", page.Services)}");
            }
        }
    }

    [Fact]
    public async Task Events_are_placed_by_when_they_happened_whatever_order_they_arrive_in()
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        const long minute = 60_000;
        await Store.AppendAsync(Event("now-login", service: "a", occurredAt: now), CancellationToken.None);
        await Store.AppendAsync(Event("ten-ago-login", service: "a", occurredAt: now - (10 * minute)), CancellationToken.None);
        await Store.AppendBatchAsync("late", [Event("five-ago-view", service: "b", occurredAt: now - (5 * minute)), Event("arrival-view", service: "a")], CancellationToken.None);
        await Store.AppendAsync(Event("two-ago-login", service: "a", occurredAt: now - (2 * minute)), CancellationToken.None);

        async Task<string[]> Names(EventFilter filter, long? from = null, long? to = null) =>
            [.. (await Store.QueryAsync(filter, from, to, 100, null, CancellationToken.None)).Events.Select(e => e.Name)];

        Assert.Equal(["arrival-view", "now-login", "two-ago-login", "five-ago-view", "ten-ago-login"], await Names(new EventFilter()));
        Assert.Equal(["arrival-view", "now-login", "two-ago-login", "ten-ago-login"], await Names(new EventFilter { ServiceName = "a" }));
        Assert.Equal(["now-login", "two-ago-login", "ten-ago-login"], await Names(new EventFilter { Type = "login" }));
        Assert.Equal(["arrival-view", "five-ago-view"], await Names(new EventFilter { Type = "view" }));
        Assert.Equal(["two-ago-login", "five-ago-view"], await Names(new EventFilter(), now - (6 * minute), now - minute));
        Assert.Equal(["ten-ago-login"], await Names(new EventFilter { ServiceName = "a" }, null, now - (3 * minute)));
        var page = (await Store.QueryAsync(new EventFilter(), null, null, 100, null, CancellationToken.None));
        Assert.Equal(now - (10 * minute), page.EarliestTimestamp);
        Assert.All(page.Events, e => Assert.Equal(now, e.ReceivedAt));
    }

    [Fact]
    public async Task The_feed_gives_every_append_once_in_position_order_from_any_point()
    {
        await Store.AppendAsync(Event("a"), CancellationToken.None);
        var (first, afterA) = await ReadFeedAsync(Store, FeedPosition.Start);
        await Store.AppendBatchAsync("b", [Event("b"), Event("c")], CancellationToken.None);
        await Store.AppendAsync(Event("d"), CancellationToken.None);

        Assert.Equal(["+a"], first);
        Assert.Equal(["+b", "+c", "+d"], (await ReadFeedAsync(Store, afterA)).Log);
        Assert.Equal(["+a", "+b", "+c", "+d"], (await ReadFeedAsync(Store, FeedPosition.Start)).Log);
        var positions = (await Store.ReadAsync(FeedPosition.Start, 10, CancellationToken.None)).Changes.Select(c => c.Record!.Sequence).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions[^1], (await Store.ReadHeadAsync(CancellationToken.None)).Appended);
    }

    [Fact]
    public async Task A_follower_reading_while_others_append_is_given_every_event_once_in_order()
    {
        var store = Store;
        var given = new List<long>();

        await FollowWhileWritingAsync(store, 250, change => given.Add(change.Record!.Sequence));

        var held = (await store.QueryAsync(new EventFilter(), null, null, 2_000, null, CancellationToken.None)).Events.Select(e => e.Sequence).Order();
        Assert.Equal(held, given);
    }

    [Fact]
    public async Task Waiting_for_changes_ends_with_the_next_append_and_not_before()
    {
        await Store.AppendAsync(Event("before"), CancellationToken.None);
        var head = await Store.ReadHeadAsync(CancellationToken.None);
        var waiting = Store.WaitForChangesAsync(head, CancellationToken.None);
        var behind = Store.WaitForChangesAsync(FeedPosition.Start, CancellationToken.None);

        await behind.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        var stored = await Store.AppendAsync(Event("after"), CancellationToken.None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(stored.Record.Sequence, (await Store.ReadHeadAsync(CancellationToken.None)).Appended);
    }

    [Fact]
    public async Task Concurrent_ingestion_and_queries_lose_and_duplicate_nothing()
    {
        const int writers = 4, perWriter = 5_000;
        var sequences = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var readerStarted = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var page = (await Store.QueryAsync(new EventFilter { ServiceName = "w1" }, null, null, 50, null, CancellationToken.None));
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
                    var result = await Store.AppendBatchAsync($"b-{w}-{i}", [Event("batched", service: "w" + w), Event("batched", service: "w" + w)], CancellationToken.None);
                    foreach (var record in result.Stored)
                    {
                        sequences.Add(record.Sequence);
                    }

                    i++;
                }
                else
                {
                    sequences.Add((await Store.AppendAsync(Event("single", service: "w" + w), CancellationToken.None)).Record.Sequence);
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        await stop.CancelAsync();
        await reader;

        Assert.Equal(writers * perWriter, Store.Count);
        Assert.Equal(writers * perWriter, sequences.Distinct().Count());
        Assert.Equal(perWriter, (await Store.QueryAsync(new EventFilter { ServiceName = "w2" }, null, null, 1, null, CancellationToken.None)).Filtered);
    }

    [Fact]
    public async Task A_restart_keeps_every_event_with_its_id_and_the_replay_ledger_or_starts_with_new_ids()
    {
        var single = await Store.AppendAsync(Event("single", service: "svc", clientId: "client-1", occurredAt: Time.GetUtcNow().ToUnixTimeMilliseconds() - 90_000), CancellationToken.None);
        var batch = await Store.AppendBatchAsync("batch-1", [Event("b1", clientId: "client-2"), Event("b2")], CancellationToken.None);
        var before = (await Store.QueryAsync(new EventFilter(), null, null, 100, null, CancellationToken.None)).Events.Select(Describe).ToList();
        Time.Advance(TimeSpan.FromMinutes(5));

        var store = Reopen(new EventStoreOptions());

        if (IsDurable)
        {
            Assert.Equal(before, (await store.QueryAsync(new EventFilter(), null, null, 100, null, CancellationToken.None)).Events.Select(Describe));
            Assert.True((await store.AppendAsync(Event("single", clientId: "client-1"), CancellationToken.None)).Replayed);
            var replay = await store.AppendBatchAsync("batch-1", [Event("b1"), Event("b2")], CancellationToken.None);
            Assert.True(replay.Replayed);
            Assert.Equal((2, batch.Timestamp), (replay.ProcessedCount, replay.Timestamp));
            Assert.Equal(3, store.Count);
            Assert.Equal(["svc"], (await store.QueryAsync(new EventFilter { ServiceName = "svc" }, null, null, 10, null, CancellationToken.None)).Services);
        }
        else
        {
            Assert.Equal(0, store.Count);
        }

        var next = await store.AppendAsync(Event("after"), CancellationToken.None);
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
        long? occurredAt = null, int? status = null) =>
        new(name, service, user, session, correlation, status, null, clientId, "{}"u8.ToArray()) { OccurredAt = occurredAt };

    private static string Describe(EventRecord e) => $"{EventIds.Format(e.Sequence)} {e.Name} {e.ServiceName} {e.Timestamp} {e.ReceivedAt} {e.ClientEventId}";

    /// <summary>
    /// Four writers append <paramref name="perWriter"/> times each (singles, and every fifth a batch of two) while a
    /// follower reads the feed from the start, handing each change to <paramref name="apply"/>; returns once the
    /// follower has read to the end.
    /// </summary>
    internal static async Task FollowWhileWritingAsync(IEventStore store, int perWriter, Action<StoreChange> apply)
    {
        using var stop = new CancellationTokenSource();
        var follower = Task.Run(async () =>
        {
            var position = FeedPosition.Start;
            while (true)
            {
                var page = await store.ReadAsync(position, 100, CancellationToken.None);
                foreach (var change in page.Changes)
                {
                    apply(change);
                }

                position = page.Next;
                if (page.Changes.Count == 0 && stop.IsCancellationRequested && position == await store.ReadHeadAsync(CancellationToken.None))
                {
                    return;
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                if (i % 5 == 0)
                {
                    await store.AppendBatchAsync($"b-{w}-{i}", [Event("batched"), Event("batched")], CancellationToken.None);
                }
                else
                {
                    await store.AppendAsync(Event("single"), CancellationToken.None);
                }
            }
        })));
        await stop.CancelAsync();
        await follower.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Reads the feed after <paramref name="after"/> to its end: "+name" for an append, "-name" for a removal.</summary>
    internal static async Task<(List<string> Log, FeedPosition Next)> ReadFeedAsync(IEventStore store, FeedPosition after)
    {
        var log = new List<string>();
        while (true)
        {
            var page = await store.ReadAsync(after, 2, CancellationToken.None);
            if (page.Changes.Count == 0 && page.Next == after)
            {
                return (log, after);
            }

            log.AddRange(page.Changes.Select(c => (c.Kind == StoreChangeKind.Appended ? "+" : "-") + c.Record!.Name));
            after = page.Next;
        }
    }

    private void Close()
    {
        (_store as IDisposable)?.Dispose();
        _store = null;
    }

}
