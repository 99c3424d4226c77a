using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Tests.Storage;

/// <summary>
/// Every path of the query planner (one posting, a service and a name, a scan, the time index) against reading every
/// held event, through late arrivals and evictions: the same events page by page, the same count and the same services.
/// </summary>
public sealed class QueryPlannerTests
{
    private static readonly string?[] Services = ["api", "web", "db", null];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_filter_and_range_answers_as_reading_every_held_event_would(int seed)
    {
        var random = new Random(seed);
        var table = new EventTable(capacity: 600, firstSequence: 1);
        for (var i = 0; i < 4000; i++)
        {
            if (table.IsFull || (table.Count > 0 && random.Next(8) == 0))
            {
                table.RemoveOldest();
            }

            // Mostly in order, sometimes late; a few correlation ids large enough to keep a tally, most of one or two events;
            // two services at a time, moving on, so that services leave large postings as their events are evicted.
            var timestamp = (i * 10) - (random.Next(4) == 0 ? random.Next(3000) : 0);
            var correlation = random.Next(3) == 0 ? "flow-" + random.Next(3) : "req-" + (i / 2);
            table.Add(
                new NewEvent("e" + random.Next(5), Services[((i / 700) + random.Next(2)) % Services.Length], "u" + random.Next(4), null, correlation, random.Next(10) == 0 ? 500 : 200, null, null, []),
                timestamp,
                receivedAt: i * 10);

            if (i % 97 == 0)
            {
                for (var q = 0; q < 20; q++)
                {
                    AssertSameAsReadingEveryEvent(table, RandomFilter(random, i), RandomRange(random, i), random.Next(1, 40));
                }
            }
        }
    }

    private static EventFilter RandomFilter(Random random, int i) => new()
    {
        ServiceName = random.Next(2) == 0 ? Services[random.Next(Services.Length - 1)] : null,
        EventName = random.Next(2) == 0 ? "e" + random.Next(6) : null,
        UserId = random.Next(5) == 0 ? "u" + random.Next(4) : null,
        CorrelationId = random.Next(3) switch { 0 => "flow-" + random.Next(3), 1 => "req-" + (random.Next(Math.Max(1, i)) / 2), _ => null },
        ErrorsOnly = random.Next(6) == 0 ? true : null,
    };

    private static (long? From, long? To) RandomRange(Random random, int i) => random.Next(3) switch
    {
        0 => (null, null),
        1 => ((i * 10) - random.Next(6000), null),
        _ => ((i * 10) - random.Next(6000), (i * 10) - random.Next(3000)),
    };

    private static void AssertSameAsReadingEveryEvent(EventTable table, EventFilter filter, (long? From, long? To) range, int limit)
    {
        var expected = table.From(table.Head)
            .Where(r => filter.Matches(r) && (range.From is not { } from || r.Timestamp >= from) && (range.To is not { } to || r.Timestamp <= to))
            .OrderByDescending(EventPosition.Of)
            .ToList();
        var pages = new List<EventRecord>();
        EventPosition? before = null;
        do
        {
            var page = new QueryPlanner(table, filter, range.From, range.To, limit, before).Run();
            Assert.Equal(expected.Count, page.Filtered);
            Assert.Equal(
                expected.Select(r => r.ServiceName).OfType<string>().Distinct().Order(StringComparer.Ordinal),
                page.Services);
            pages.AddRange(page.Events);
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(expected.Select(r => r.Sequence), pages.Select(r => r.Sequence));
    }
}
