using System.Text;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Streams;

/// <summary>
/// A reader that falls behind loses its oldest messages; the <c>dropped</c> notice for a gap must reach it before the
/// first message after the gap, even while messages are dropped (by its own small queue, or by the shared budget) on
/// the publishing thread at the moment it reads.
/// </summary>
public sealed class DroppedNoticeOrderTests : IDisposable
{
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("""{"type":"ping"}""");

    private readonly InMemoryEventStore _store = new(Options.Create(new EventStoreOptions()), new FakeTimeProvider());

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData(4, 1_000_000)] // the reader's own queue drops
    [InlineData(1_000, 8)] // the budget of all readers drops
    public async Task Every_gap_is_announced_before_the_message_after_it(int queueSize, int totalBudget)
    {
        using var broadcaster = new EventBroadcaster(
            _store,
            Options.Create(new StreamOptions { SubscriberQueueSize = queueSize, MaxQueuedMessagesTotal = totalBudget }),
            TimeProvider.System,
            NullLogger<EventBroadcaster>.Instance);
        using var reader = new StreamSubscription(broadcaster, new EventFilter(), queueSize);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var published = 0L;
        var publisher = Task.Run(() =>
        {
            for (var id = 1L; !stop.IsCancellationRequested && id < 20_000_000; id++)
            {
                reader.Offer(new BroadcastMessage(id, Ping));
                Volatile.Write(ref published, id);
            }
        });

        var last = 0L;
        var announced = false;
        var gaps = 0;
        var read = 0L;
        var unannounced = new List<string>();
        try
        {
            await foreach (var message in reader.ReadAllAsync(stop.Token))
            {
                if (message.Json.AsSpan().IndexOf("\"dropped\""u8) >= 0)
                {
                    announced = true;
                    continue;
                }

                if (message.Id != last + 1)
                {
                    gaps++;
                    if (!announced && unannounced.Count < 5)
                    {
                        unannounced.Add($"{last} → {message.Id}");
                    }
                }

                announced = false;
                last = message.Id;
                if (++read % 100_000 == 0)
                {
                    // A reader that keeps pace with the publisher would never see a gap: pause until the publisher has
                    // offered more than the queue holds (a fixed pause is not enough when the publisher is descheduled too).
                    var target = Volatile.Read(ref published) + queueSize + 1;
                    while (Volatile.Read(ref published) < target && !stop.IsCancellationRequested)
                    {
                        await Task.Delay(1);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await publisher;
        Assert.True(gaps > 0, $"the reader never fell behind ({Volatile.Read(ref published)} published, {read} read)");
        Assert.True(unannounced.Count == 0, $"{gaps} gaps; unannounced: {string.Join(", ", unannounced)}");
    }
}
