using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// A node starting over a PostgreSQL store takes its analytics from the rollups stored with the events, not by
/// reading every event, and answers exactly as a node that followed every event did.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StoredRollupTests(PostgresCluster cluster) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly List<IAsyncDisposable> _opened = [];
    private string _database = null!;

    public Task InitializeAsync()
    {
        _database = cluster.CreateDatabase();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var opened in Enumerable.Reverse(_opened))
        {
            await opened.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_starting_over_stored_events_reads_their_rollups_and_answers_as_the_node_that_followed_every_event()
    {
        var (storeA, followedEveryEvent) = OpenNode();
        await followedEveryEvent.CatchUpAsync(CancellationToken.None);
        var random = new Random(42);
        for (var i = 0; i < 40; i++)
        {
            var events = Enumerable.Range(0, 50).Select(j => new NewEvent(
                    Name: j % 7 == 0 ? "login-failed" : "page-view-" + (j % 3),
                    ServiceName: j % 5 == 0 ? null : "svc-" + (j % 4),
                    UserId: "u" + j, SessionId: null, CorrelationId: null,
                    StatusCode: j % 11 == 0 ? 500 : 200,
                    ResponseTimeMs: j % 6 == 0 ? null : Math.Round(random.NextDouble() * random.NextDouble() * 2000, 3),
                    ClientEventId: null, PayloadJson: "{}"u8.ToArray())
            {
                OccurredAt = (Now - TimeSpan.FromMinutes(random.Next(0, 600)) - TimeSpan.FromMilliseconds(random.Next(0, 60_000))).ToUnixTimeMilliseconds(),
            }).ToList();
            await storeA.AppendBatchAsync("batch-" + i, events, CancellationToken.None);
        }

        await followedEveryEvent.CatchUpAsync(CancellationToken.None);
        var (storeB, startedLater) = OpenNode();
        var head = await storeB.ReadHeadAsync(CancellationToken.None);

        Assert.Equal(head, startedLater.Checkpoint);
        AssertSameAnswers(followedEveryEvent, startedLater);

        await storeA.AppendAsync(new NewEvent("after-start", "svc-1", null, null, null, 503, 12.5, null, "{}"u8.ToArray()), CancellationToken.None);
        await followedEveryEvent.CatchUpAsync(CancellationToken.None);
        await startedLater.CatchUpAsync(CancellationToken.None);
        AssertSameAnswers(followedEveryEvent, startedLater);
        Assert.Equal(2001, startedLater.Summarize(null, null).Count);
    }

    [Fact]
    public async Task History_older_than_the_detailed_span_is_kept_per_hour_alike_on_a_node_that_followed_it_and_one_started_later()
    {
        var clock = new FakeTimeProvider(Now);
        var (store, followed) = OpenNode(clock, detailedFor: TimeSpan.FromHours(2));
        await followed.CatchUpAsync(CancellationToken.None);
        var minute = TimeSpan.FromMinutes(1);
        await store.AppendBatchAsync(
            "five-hours",
            Enumerable.Range(1, 300).Select(i => new NewEvent("tick", "svc-" + (i % 2), null, null, null, 200, i, null, "{}"u8.ToArray())
            {
                OccurredAt = (Now - (i * minute)).ToUnixTimeMilliseconds(),
            }).ToList(),
            CancellationToken.None);
        await followed.CatchUpAsync(CancellationToken.None);
        var (_, started) = OpenNode(clock, detailedFor: TimeSpan.FromHours(2));

        // Per hour before 10:00 (two hours back, on the hour), per minute after it; the totals stay exact.
        var from = (Now - TimeSpan.FromHours(5)).ToUnixTimeMilliseconds();
        var expected = Enumerable.Range(0, 300).Select(m => m < 180 ? (m % 60 == 0 ? 60L : 0L) : 1L).ToList();
        foreach (var node in new[] { followed, started })
        {
            Assert.Equal(300, node.Summarize(null, null).Count);
            Assert.Equal(expected, node.Series(from, Now.ToUnixTimeMilliseconds() - 1, 60_000, null).Select(s => s.Rollups.Count));
        }

        AssertSameAnswers(followed, started);

        // An hour later the next hour is merged on both, and a node started then agrees.
        clock.Advance(TimeSpan.FromHours(1));
        await store.AppendAsync(new NewEvent("later", "svc-0", null, null, null, 200, 1, null, "{}"u8.ToArray()), CancellationToken.None);
        await followed.CatchUpAsync(CancellationToken.None);
        await started.CatchUpAsync(CancellationToken.None);
        var (_, third) = OpenNode(clock, detailedFor: TimeSpan.FromHours(2));
        var tenOClock = Enumerable.Range(0, 60).Select(m => m == 0 ? 60L : 0L);
        foreach (var node in new[] { followed, started, third })
        {
            Assert.Equal(301, node.Summarize(null, null).Count);
            Assert.Equal(tenOClock, node.Series(from + (3 * 3_600_000), from + (4 * 3_600_000) - 1, 60_000, null).Select(s => s.Rollups.Count));
            AssertSameAnswers(followed, node);
        }
    }

    private static void AssertSameAnswers(AnalyticsProjection expected, AnalyticsProjection actual)
    {
        var hours = Enumerable.Range(0, 11).Select(h => (Now - TimeSpan.FromHours(h + 1)).ToUnixTimeMilliseconds()).ToList();
        Assert.Equal(Describe(expected.Summarize(null, null)), Describe(actual.Summarize(null, null)));
        foreach (var from in hours)
        {
            Assert.Equal(Describe(expected.Summarize(from, from + 3_600_000)), Describe(actual.Summarize(from, from + 3_600_000)));
        }

        var start = (Now - TimeSpan.FromHours(11)).ToUnixTimeMilliseconds();
        var expectedSeries = expected.Series(start, Now.ToUnixTimeMilliseconds(), 600_000, null);
        var actualSeries = actual.Series(start, Now.ToUnixTimeMilliseconds(), 600_000, null);
        Assert.Equal(expectedSeries.Select(s => s.Start), actualSeries.Select(s => s.Start));
        foreach (var (one, other) in expectedSeries.Zip(actualSeries))
        {
            Assert.Equal(Describe(one.Rollups), Describe(other.Rollups));
        }
    }

    private static string Describe(RollupSet rollups) =>
        rollups.Count + " " + JsonSerializer.Serialize(
            ServiceAnalytics.ToServiceStats(rollups.Services.Values).OrderBy(s => s.ServiceName, StringComparer.Ordinal).ToList(),
            EventTrackerJsonContext.Default.IReadOnlyListServiceStats);

    private (PostgresEventStore Store, AnalyticsProjection Projection) OpenNode(TimeProvider? clock = null, TimeSpan? detailedFor = null)
    {
        clock ??= TimeProvider.System;
        var options = Options.Create(new EventStoreOptions { DetailedRollupsFor = detailedFor ?? TimeSpan.FromHours(25) });

        // Short suggestion windows, so that the detailed span is the one asked for.
        var suggestions = detailedFor is null ? new SuggestionOptions() : new SuggestionOptions { Window = TimeSpan.FromHours(1), SpikeBaseline = TimeSpan.FromMinutes(30) };
        var dataSource = NpgsqlDataSource.Create(_database);
        var store = new PostgresEventStore(dataSource, options, clock, NullLogger<PostgresEventStore>.Instance);
        var projection = new AnalyticsProjection(store, options, Options.Create(suggestions), clock, NullLogger<AnalyticsProjection>.Instance);
        _opened.Add(dataSource);
        _opened.Add(store);
        _opened.Add(new DisposeAction(projection.Dispose));
        return (store, projection);
    }

    private sealed class DisposeAction(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
