using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Server.Tests.Storage;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>Retention on PostgreSQL: whole days older than the maximum age go, and every follower hears of it.</summary>
[Collection(PostgresTests.Name)]
public sealed class RetentionTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const long Day = 86_400_000;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _database = null!;
    private PostgresEventStore _store = null!;

    public Task InitializeAsync()
    {
        _database = NpgsqlDataSource.Create(cluster.CreateDatabase());
        _store = new PostgresEventStore(_database, Options.Create(new EventStoreOptions { MaxAge = TimeSpan.FromDays(2) }), _time, NullLogger<PostgresEventStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Days_older_than_the_max_age_are_dropped_whole_with_their_rollups_and_client_ids_and_followers_drop_them_too()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await _store.AppendAsync(Event("five-days-ago", now - (5 * Day), "old-id"), CancellationToken.None);
        await _store.AppendAsync(Event("three-days-ago", now - (3 * Day), null), CancellationToken.None);
        await _store.AppendAsync(Event("two-days-ago", now - (2 * Day), null), CancellationToken.None); // its day ended less than 2 days ago
        await _store.AppendAsync(Event("now", now, null), CancellationToken.None);
        using var projection = new AnalyticsProjection(
            _store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()), _time, NullLogger<AnalyticsProjection>.Instance);
        await projection.CatchUpAsync(CancellationToken.None);
        Assert.Equal(4, projection.Summarize(null, null).Count);

        await _store.ApplyRetentionAsync(CancellationToken.None);
        await projection.CatchUpAsync(CancellationToken.None);

        var held = await _store.QueryAsync(new EventFilter(), null, null, 10, null, CancellationToken.None);
        Assert.Equal(["now", "two-days-ago"], held.Events.Select(e => e.Name));
        Assert.Equal((2, 2), (held.Total, _store.Count));
        Assert.Equal(2, _store.EvictedCount);
        Assert.Equal(2, projection.Summarize(null, null).Count);
        Assert.Equal(0, projection.Summarize(null, now - (2 * Day) - 1).Count);
        using var restarted = new AnalyticsProjection(
            _store, Options.Create(new EventStoreOptions()), Options.Create(new SuggestionOptions()), _time, NullLogger<AnalyticsProjection>.Instance);
        Assert.Equal(2, restarted.Summarize(null, null).Count);
        Assert.False((await _store.AppendAsync(Event("stored-anew", now, "old-id"), CancellationToken.None)).Replayed);
        Assert.Empty((await EventStoreContract.ReadFeedAsync(_store, await _store.ReadHeadAsync(CancellationToken.None))).Log);
    }

    private static NewEvent Event(string name, long occurredAt, string? clientId) =>
        new(name, "svc", null, null, null, 200, 10, clientId, "{}"u8.ToArray()) { OccurredAt = occurredAt };
}
