using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Server.Tests.Storage;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// Commit order is not sequence order in general: two transactions can take positions 10 and 11 and commit 11 first,
/// and a follower that reads "after 10" then would skip 10 forever. These tests force two nodes' groups to overlap and
/// show that here the later group can neither take nor commit its positions before the earlier one commits.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class CommitOrderTests(PostgresCluster cluster) : IAsyncLifetime
{
    private NpgsqlDataSource _nodeADatabase = null!;
    private NpgsqlDataSource _nodeBDatabase = null!;
    private PostgresEventStore _nodeA = null!;
    private PostgresEventStore _nodeB = null!;

    public Task InitializeAsync()
    {
        var database = cluster.CreateDatabase();
        _nodeADatabase = NpgsqlDataSource.Create(database);
        _nodeBDatabase = NpgsqlDataSource.Create(database);
        _nodeA = new PostgresEventStore(_nodeADatabase, Options.Create(new EventStoreOptions()), TimeProvider.System, NullLogger<PostgresEventStore>.Instance);
        _nodeB = new PostgresEventStore(_nodeBDatabase, Options.Create(new EventStoreOptions()), TimeProvider.System, NullLogger<PostgresEventStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _nodeADatabase.DisposeAsync();
        await _nodeBDatabase.DisposeAsync();
    }

    [Fact]
    public async Task A_group_held_before_commit_keeps_later_groups_of_other_nodes_from_committing_so_followers_never_skip()
    {
        var release = new TaskCompletionSource();
        var holding = new TaskCompletionSource<(long First, long Last)>();
        _nodeA.BeforeCommit = async (first, last) =>
        {
            holding.TrySetResult((first, last));
            await release.Task;
        };
        var appendA = _nodeA.AppendBatchAsync("slow", [EventStoreContract.Event("a1"), EventStoreContract.Event("a2")], CancellationToken.None).AsTask();
        var (firstA, lastA) = await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var appendB = _nodeB.AppendAsync(EventStoreContract.Event("b"), CancellationToken.None).AsTask();
        var seenWhileHeld = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(30);
            seenWhileHeld.AddRange((await _nodeB.ReadAsync(FeedPosition.Start, 10, CancellationToken.None)).Changes.Select(c => c.Record!.Sequence));
        }

        Assert.False(appendB.IsCompleted, "node B's group committed while node A's earlier group was still open");
        Assert.Empty(seenWhileHeld);
        Assert.Equal(FeedPosition.Start, await _nodeB.ReadHeadAsync(CancellationToken.None));

        release.SetResult();
        var a = await appendA.WaitAsync(TimeSpan.FromSeconds(30));
        var b = await appendB.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([firstA, lastA], a.Stored.Select(r => r.Sequence));
        Assert.True(b.Record.Sequence > lastA);
        Assert.Equal(
            ["+a1", "+a2", "+b"],
            (await EventStoreContract.ReadFeedAsync(_nodeB, FeedPosition.Start)).Log);
    }

    [Fact]
    public async Task Followers_polling_during_overlapping_commits_from_two_nodes_see_only_gap_free_prefixes()
    {
        using var stop = new CancellationTokenSource();
        var observed = new List<List<long>>();
        var follower = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var page = await _nodeB.ReadAsync(FeedPosition.Start, 10_000, CancellationToken.None);
                observed.Add(page.Changes.Select(c => c.Record!.Sequence).ToList());
            }
        });

        await Task.WhenAll(new[] { _nodeA, _nodeB }.SelectMany(node => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await node.AppendAsync(EventStoreContract.Event("e"), CancellationToken.None);
            }
        }))));
        await stop.CancelAsync();
        await follower;

        var all = await PositionsAsync(_nodeA);
        Assert.Equal(400, all.Count);
        Assert.Equal(Enumerable.Range(1, 400).Select(p => (long)p), all);
        Assert.All(observed, seen => Assert.Equal(all.Take(seen.Count), seen));
    }

    // Every position in the feed, page by page: a page may end early (a node serves its own last commits from memory).
    private static async Task<List<long>> PositionsAsync(PostgresEventStore store)
    {
        var positions = new List<long>();
        var after = FeedPosition.Start;
        while (true)
        {
            var page = await store.ReadAsync(after, 10_000, CancellationToken.None);
            if (page.Changes.Count == 0 && page.Next == after)
            {
                return positions;
            }

            positions.AddRange(page.Changes.Select(c => c.Record!.Sequence));
            after = page.Next;
        }
    }
}
