using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Server.Tests.Storage;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>A node whose database cannot keep up refuses appends at once instead of queueing them without end.</summary>
[Collection(PostgresTests.Name)]
public sealed class WriteBacklogTests(PostgresCluster cluster)
{
    [Fact]
    public async Task When_the_database_falls_behind_appends_past_the_backlog_are_refused_and_counted_and_nothing_taken_is_lost()
    {
        await using var database = NpgsqlDataSource.Create(cluster.CreateDatabase());
        await using var store = new PostgresEventStore(
            database, Options.Create(new EventStoreOptions { MaxQueuedEvents = 100 }), TimeProvider.System, NullLogger<PostgresEventStore>.Instance);
        var release = new TaskCompletionSource();
        var holding = new TaskCompletionSource();
        store.BeforeCommit = async (_, _) =>
        {
            holding.TrySetResult();
            await release.Task;
        };

        var first = store.AppendBatchAsync("first", Batch("first", 60), CancellationToken.None).AsTask();
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = store.AppendBatchAsync("second", Batch("second", 30), CancellationToken.None).AsTask();
        var refusal = await Assert.ThrowsAsync<StoreUnavailableException>(
            async () => await store.AppendBatchAsync("third", Batch("third", 20), CancellationToken.None));

        Assert.Contains("behind", refusal.Message, StringComparison.Ordinal);
        Assert.False(first.IsCompleted);
        release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, store.ShedAppends);
        Assert.Equal(90, (await store.QueryAsync(new EventFilter(), null, null, 1, null, CancellationToken.None)).Total);

        // One batch larger than the backlog still goes through when nothing else waits.
        Assert.Equal(500, (await store.AppendBatchAsync("large", Batch("large", 500), CancellationToken.None)).ProcessedCount);
    }

    private static List<NewEvent> Batch(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => EventStoreContract.Event($"{prefix}-{i}")).ToList();
}
