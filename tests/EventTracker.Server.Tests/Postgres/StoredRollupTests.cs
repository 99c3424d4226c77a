using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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

    private static void AssertSameAnswers(AnalyticsProjection expected, AnalyticsProjection actual)
    {
        var hours = Enumerable.Range(0, 11).Select(h => (Now - TimeSpan.FromHours(h + 1)).ToUnixTimeMilliseconds()).ToList();
        Assert.Equal(Describe(expected.Summarize(null, null)), Describe(actual.Summarize(null, null)));
        foreach (var from in hours)
        {
            Assert.Equal(Describe(expected.Summarize(from, from + 3_600_000)), Describe(actual.Summarize(from, from + 3_600_000)));
        }

        var start = (Now - TimeSpan.FromHours(11)).ToUnixTimeMilliseconds();
        Assert.Equal(
            expected.Series(start, Now.ToUnixTimeMilliseconds(), 600_000, null).Select(s => (s.Start, Describe(s.Rollups))),
            actual.Series(start, Now.ToUnixTimeMilliseconds(), 600_000, null).Select(s => (s.Start, Describe(s.Rollups))));
    }

    private static string Describe(RollupSet rollups) =>
        rollups.Count + " " + JsonSerializer.Serialize(
            ServiceAnalytics.ToServiceStats(rollups.Services.Values).OrderBy(s => s.ServiceName, StringComparer.Ordinal).ToList(),
            EventTrackerJsonContext.Default.IReadOnlyListServiceStats);

    private (PostgresEventStore Store, AnalyticsProjection Projection) OpenNode()
    {
        var dataSource = NpgsqlDataSource.Create(_database);
        var store = new PostgresEventStore(dataSource, Options.Create(new EventStoreOptions()), TimeProvider.System, NullLogger<PostgresEventStore>.Instance);
        var projection = new AnalyticsProjection(
            store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()), TimeProvider.System, NullLogger<AnalyticsProjection>.Instance);
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
