using Microsoft.Extensions.Logging.Abstractions;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class EventBroadcasterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 8, 27, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryEventStore _store;
    private readonly EventBroadcaster _broadcaster;

    public EventBroadcasterTests()
    {
        _store = new InMemoryEventStore(Options.Create(new EventStoreOptions()), _time);
        _broadcaster = new EventBroadcaster(_store, Options.Create(new StreamOptions { RingBufferSize = 5, SubscriberQueueSize = 3 }), _time, NullLogger<EventBroadcaster>.Instance);
    }

    public void Dispose()
    {
        _broadcaster.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Resuming_from_beyond_the_ring_reports_what_cannot_be_replayed_then_replays_the_rest()
    {
        using var first = (await _broadcaster.TrySubscribeAsync(new EventFilter(), null, CancellationToken.None))!;
        await PublishAsync("e0");
        var e0 = (await ReadAsync(first, 1))[0];
        for (var i = 1; i <= 7; i++)
        {
            await PublishAsync("e" + i);
        }

        using var resumed = (await _broadcaster.TrySubscribeAsync(new EventFilter(), e0.Id, CancellationToken.None))!;
        var messages = await ReadAsync(resumed, 4);

        // e1..e7 came after e0: the ring still holds e3..e7 (e1, e2 are gone) and a queue of 3 keeps e5..e7.
        Assert.Equal("dropped", Type(messages[0]));
        Assert.Equal(4, Data(messages[0]).GetProperty("count").GetInt64());
        Assert.Equal(["e5", "e6", "e7"], messages.Skip(1).Select(m => Data(m).GetProperty("name").GetString()));

        // Queue drops are counted server-wide: e3, e4 for the resumed reader, e1..e4 for the first, which stopped reading.
        Assert.Equal(6, _broadcaster.DroppedMessages);
    }

    [Fact]
    public async Task Unsubscribed_readers_no_longer_count_and_the_limit_applies()
    {
        using var broadcaster = new EventBroadcaster(_store, Options.Create(new StreamOptions { MaxConnections = 1 }), _time, NullLogger<EventBroadcaster>.Instance);
        var first = await broadcaster.TrySubscribeAsync(new EventFilter(), null, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(await broadcaster.TrySubscribeAsync(new EventFilter(), null, CancellationToken.None));
        first.Dispose();
        Assert.Equal(0, broadcaster.SubscriberCount);
        using var again = await broadcaster.TrySubscribeAsync(new EventFilter(), null, CancellationToken.None);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Readers_that_stop_reading_hold_no_more_than_the_total_budget_and_give_it_back_when_they_go()
    {
        using var broadcaster = new EventBroadcaster(_store, Options.Create(new StreamOptions { SubscriberQueueSize = 1000, MaxQueuedMessagesTotal = 100 }), _time, NullLogger<EventBroadcaster>.Instance);
        var idle = new List<StreamSubscription>();
        for (var i = 0; i < 5; i++)
        {
            idle.Add((await broadcaster.TrySubscribeAsync(new EventFilter(), null, CancellationToken.None))!);
        }

        for (var i = 0; i < 1000; i++)
        {
            await PublishAsync("e" + i);
        }

        await broadcaster.CatchUpAsync(CancellationToken.None);

        Assert.InRange(broadcaster.QueuedMessages, 1, 100);
        Assert.Equal(5 * 1000, broadcaster.QueuedMessages + broadcaster.DroppedMessages);
        var first = await ReadAsync(idle[0], 2);
        Assert.Equal("dropped", Type(first[0]));
        Assert.Equal("e980", Data(first[1]).GetProperty("name").GetString());

        idle.ForEach(reader => reader.Dispose());
        Assert.Equal(0, broadcaster.QueuedMessages);
    }

    private async Task PublishAsync(string name) =>
        await _store.AppendAsync(new NewEvent(name, null, null, null, null, null, null, null, "{}"u8.ToArray()), CancellationToken.None);

    private static async Task<List<BroadcastMessage>> ReadAsync(StreamSubscription subscription, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var messages = new List<BroadcastMessage>();
        await foreach (var message in subscription.ReadAllAsync(timeout.Token))
        {
            messages.Add(message);
            if (messages.Count == count)
            {
                break;
            }
        }

        return messages;
    }

    private static string Type(BroadcastMessage message) => JsonDocument.Parse(message.Json).RootElement.GetProperty("type").GetString()!;

    private static JsonElement Data(BroadcastMessage message) => JsonDocument.Parse(message.Json).RootElement.GetProperty("data").Clone();
}
