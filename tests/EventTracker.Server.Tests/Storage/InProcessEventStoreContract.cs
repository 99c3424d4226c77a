using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Tests.Storage;

/// <summary>
/// What the stores that hold their events in this process must do beyond <see cref="EventStoreContract"/>: evict for
/// capacity and age, one event at a time, and tell their followers of each removal.
/// </summary>
public abstract class InProcessEventStoreContract : EventStoreContract
{
    [Fact]
    public async Task A_client_id_is_acknowledged_again_while_its_event_is_held_and_stored_anew_after()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 5 });
        var first = await store.AppendAsync(Event("a", clientId: "id-1"), CancellationToken.None);
        var replay = await store.AppendAsync(Event("a", clientId: "id-1"), CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync(Event("filler"), CancellationToken.None);
        }

        var afterEviction = await store.AppendAsync(Event("a", clientId: "id-1"), CancellationToken.None);

        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(first.Record.Sequence, replay.Record.Sequence);
        Assert.False(afterEviction.Replayed);
        Assert.Equal(5, store.Count);
    }

    [Fact]
    public async Task Capacity_evicts_the_earliest_arrivals_even_when_they_happened_last()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 3 });
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.AppendAsync(Event("first-arrival", service: "s", occurredAt: now), CancellationToken.None);
        await store.AppendAsync(Event("b", service: "s", occurredAt: now - 3000), CancellationToken.None);
        await store.AppendAsync(Event("c", service: "s", occurredAt: now - 1000), CancellationToken.None);
        await store.AppendAsync(Event("d", service: "s", occurredAt: now - 2000), CancellationToken.None);

        Assert.Equal(["c", "d", "b"], (await store.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None)).Events.Select(e => e.Name));
        Assert.Equal(["c", "d", "b"], (await store.QueryAsync(new EventFilter { ServiceName = "s" }, null, null, 10, null, CancellationToken.None)).Events.Select(e => e.Name));
        Assert.Equal(3, (await store.QueryAsync(new EventFilter { ServiceName = "s" }, null, null, 10, null, CancellationToken.None)).Filtered);
    }

    [Fact]
    public async Task At_capacity_the_oldest_events_are_evicted_and_counted()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 5 });
        for (var i = 0; i < 8; i++)
        {
            await store.AppendAsync(Event($"e{i}", service: i % 2 == 0 ? "even" : "odd", user: "u" + i), CancellationToken.None);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var page = (await store.QueryAsync(new EventFilter(), null, null, 100, null, CancellationToken.None));

        Assert.Equal(5, store.Count);
        Assert.Equal(3, store.EvictedCount);
        Assert.Equal(["e7", "e6", "e5", "e4", "e3"], page.Events.Select(e => e.Name));
        Assert.Empty((await store.QueryAsync(new EventFilter { UserId = "u0" }, null, null, 100, null, CancellationToken.None)).Events);
        Assert.Equal(0, (await store.QueryAsync(new EventFilter { EventName = "e2" }, null, null, 100, null, CancellationToken.None)).Filtered);
        Assert.Equal(3, (await store.QueryAsync(new EventFilter { ServiceName = "odd" }, null, null, 100, null, CancellationToken.None)).Filtered);
    }

    [Fact]
    public async Task Events_older_than_the_max_age_are_evicted()
    {
        var store = Reopen(new EventStoreOptions { MaxAge = TimeSpan.FromHours(1) });
        await store.AppendAsync(Event("old"), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(59));
        await store.AppendAsync(Event("recent"), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(2));

        var page = (await store.QueryAsync(new EventFilter(), null, null, 100, null, CancellationToken.None));

        Assert.Equal(["recent"], page.Events.Select(e => e.Name));
        Assert.Equal(1, page.Total);
        Assert.Equal(1, store.EvictedCount);
    }

    [Fact]
    public async Task An_idle_store_evicts_expired_events_and_tells_its_followers()
    {
        var store = Reopen(new EventStoreOptions { MaxAge = TimeSpan.FromHours(1) });
        await store.AppendAsync(Event("old"), CancellationToken.None);
        var (_, position) = await ReadFeedAsync(store, FeedPosition.Start);

        // Neither appends nor queries from here on: only the passing of time.
        Time.Advance(TimeSpan.FromMinutes(62));

        Assert.Equal(0, store.Count);
        Assert.Equal(1, store.EvictedCount);
        Assert.Equal(["-old"], (await ReadFeedAsync(store, position)).Log);
    }

    [Fact]
    public async Task Timestamps_never_go_backwards_even_when_the_clock_does()
    {
        var clock = new SteppingBackClock(Time.GetUtcNow());
        using var store = new InMemoryEventStore(Microsoft.Extensions.Options.Options.Create(new EventStoreOptions()), clock);
        await store.AppendAsync(Event("first"), CancellationToken.None);
        clock.Now = clock.Now.AddSeconds(-30);
        await store.AppendAsync(Event("second"), CancellationToken.None);

        var events = (await store.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None)).Events;

        Assert.Equal(events[1].Timestamp, events[0].Timestamp);
        Assert.Equal("second", events[0].Name);
    }

    [Fact]
    public async Task The_feed_gives_the_held_events_then_every_append_and_removal_in_the_order_they_happened()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 3 });
        await store.AppendAsync(Event("held"), CancellationToken.None);
        var (first, position) = await ReadFeedAsync(store, FeedPosition.Start);

        await store.AppendBatchAsync("b", [Event("x"), Event("y"), Event("z")], CancellationToken.None);
        var (second, next) = await ReadFeedAsync(store, position);
        await store.AppendAsync(Event("w"), CancellationToken.None);
        var (third, end) = await ReadFeedAsync(store, next);

        Assert.Equal(["+held"], first);
        Assert.Equal(["+x", "+y", "-held", "+z"], second);
        Assert.Equal(["-x", "+w"], third);
        Assert.Equal(await store.ReadHeadAsync(CancellationToken.None), end);
        Assert.Empty((await ReadFeedAsync(store, end)).Log);
    }

    [Fact]
    public async Task Events_stored_and_removed_before_a_follower_reads_them_are_skipped_both_times()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 2 });
        await store.AppendAsync(Event("a"), CancellationToken.None);
        var (_, afterA) = await ReadFeedAsync(store, FeedPosition.Start);
        foreach (var name in new[] { "b", "c", "d" })
        {
            await store.AppendAsync(Event(name), CancellationToken.None);
        }

        Assert.Equal(["+c", "+d"], (await ReadFeedAsync(store, FeedPosition.Start)).Log);
        Assert.Equal(["-a", "+c", "+d"], (await ReadFeedAsync(store, afterA)).Log);
    }

    [Fact]
    public async Task A_follower_reading_while_others_append_and_evict_ends_with_exactly_the_held_events()
    {
        var store = Reopen(new EventStoreOptions { Capacity = 1_000 });
        var held = new HashSet<long>();

        await FollowWhileWritingAsync(store, 1_000, change =>
            Assert.True(change.Kind == StoreChangeKind.Appended ? held.Add(change.Record!.Sequence) : held.Remove(change.Record!.Sequence)));

        var expected = (await store.QueryAsync(new EventFilter(), null, null, 2_000, null, CancellationToken.None)).Events.Select(e => e.Sequence);
        Assert.Equal(expected.Order(), held.Order());
    }

    /// <summary>A clock that can be set backwards, as a real one is by NTP; FakeTimeProvider refuses to.</summary>
    private sealed class SteppingBackClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
