using EventTracker.Server.Storage;

namespace EventTracker.Server.Tests.Storage;

/// <summary>The time-ordered lists under the store, against a plain sorted model, through inserts in and out of order and evictions.</summary>
public sealed class EventTableTests
{
    [Theory]
    [InlineData(0, 1000)]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(3, uint.MaxValue - 300L)] // index entries keep 32 bits of each sequence: crossing 2^32 changes nothing
    public void Every_index_holds_exactly_the_held_events_in_time_order(int seed, long firstSequence)
    {
        var random = new Random(seed);
        var table = new EventTable(capacity: 40, firstSequence: firstSequence);
        string[] services = ["a", "b", "c"];
        for (var i = 0; i < 600; i++)
        {
            if (table.IsFull || (table.Count > 0 && random.Next(5) == 0))
            {
                table.RemoveOldest();
            }

            // Mostly in order, sometimes late, sometimes far back.
            var timestamp = (i * 10) - (random.Next(4) switch { 0 => 0, 1 => random.Next(30), 2 => random.Next(2000), _ => 5 });
            var correlation = "c" + (i / 2);
            table.Add(new NewEvent("e" + (i % 7), services[random.Next(3)], null, null, correlation, null, null, null, []), timestamp, receivedAt: i * 10);

            var held = table.From(table.Head);
            AssertOrdered(table.ByTime, held, table);
            foreach (var service in services)
            {
                AssertOrdered(table.ByService.Find(service), held.Where(r => r.ServiceName == service).ToList(), table);
            }

            AssertOrdered(table.ByCorrelation.Find(correlation), held.Where(r => r.CorrelationId == correlation).ToList(), table);
        }
    }

    [Fact]
    public void Events_with_the_same_small_payload_share_one_copy_of_it_and_keep_their_own_bytes()
    {
        var table = new EventTable(capacity: 100, firstSequence: 1);
        NewEvent Event(string payload) => new("e", "svc", null, null, null, null, null, null, System.Text.Encoding.UTF8.GetBytes(payload));
        var large = "{\"metadata\":{\"note\":\"" + new string('x', PayloadPool.MaxBytes) + "\"}}";

        var first = table.Add(Event("""{"metadata":{"feature":"checkout"}}"""), 1, 1);
        var same = table.Add(Event("""{"metadata":{"feature":"checkout"}}"""), 2, 2);
        var other = table.Add(Event("""{"metadata":{"feature":"search"}}"""), 3, 3);
        var largeOnce = table.Add(Event(large), 4, 4);
        var largeAgain = table.Add(Event(large), 5, 5);

        Assert.Same(first.PayloadJson, same.PayloadJson);
        Assert.Equal("""{"metadata":{"feature":"search"}}"""u8.ToArray(), other.PayloadJson);
        Assert.NotSame(largeOnce.PayloadJson, largeAgain.PayloadJson);
        Assert.Equal(largeOnce.PayloadJson, largeAgain.PayloadJson);
    }

    private static void AssertOrdered(SequenceList? list, List<EventRecord> expected, EventTable table)
    {
        var sorted = expected.Select(EventPosition.Of).Order().Select(p => p.Sequence).ToList();
        var actual = list is null ? [] : Enumerable.Range(0, list.Count).Select(i => list.SequenceAt(i, table)).ToList();
        Assert.Equal(sorted, actual);
        if (list is not null)
        {
            foreach (var record in expected)
            {
                var index = list.LowerBound(EventPosition.Of(record), table);
                Assert.Equal(record.Sequence, list.SequenceAt(index, table));
            }
        }
    }
}
