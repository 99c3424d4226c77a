using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Storage;

/// <summary>
/// Appends decide replays from the ledger of held client event ids while a query evicts expired events and forgets
/// their ids on another thread. Every resend of a held id must be found, or one id is held twice.
/// </summary>
public sealed class ReplayLedgerRaceTests
{
    [Fact]
    public async Task A_held_client_event_id_is_never_stored_twice_while_queries_evict_expired_events()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using var store = new InMemoryEventStore(Options.Create(new EventStoreOptions { MaxAge = TimeSpan.FromSeconds(10), Capacity = 1_000_000 }), time);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var duplicates = 0;

        var evicting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
                await store.QueryAsync(new EventFilter { ServiceName = "none" }, null, null, 1, null, CancellationToken.None);
            }
        });

        var appending = Task.Run(async () =>
        {
            var arrivals = new List<long>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                arrivals.Add((await store.AppendAsync(Event("id-" + i), CancellationToken.None)).Record.ReceivedAt);

                // Ids sent a moment ago: held until 10 s of the fake clock after they arrived, so a resend within that is a replay.
                for (var back = 1; back <= Math.Min(i, 8); back++)
                {
                    var resent = await store.AppendAsync(Event("id-" + (i - back)), CancellationToken.None);
                    if (!resent.Replayed && resent.Record.ReceivedAt - arrivals[i - back] < 10_000)
                    {
                        Interlocked.Increment(ref duplicates);
                    }
                }
            }
        });

        await Task.WhenAll(evicting, appending);

        var held = (await store.QueryAsync(new EventFilter(), null, null, 100_000, null, CancellationToken.None)).Events;
        Assert.Equal(0, duplicates);
        Assert.Equal(held.Count, held.Select(e => e.ClientEventId).Distinct().Count());
    }

    private static NewEvent Event(string clientId) => new("e", "s", null, null, null, null, null, clientId, "{}"u8.ToArray());
}
