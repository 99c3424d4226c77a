using EventTracker.Contracts;
using EventTracker.Server.Tests.Insights;
using EventTracker.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>Two nodes over one database: one insight episode is one id on both, and each node's readers hear of it once.</summary>
[Collection(PostgresTests.Name)]
public sealed class InsightsAcrossNodesTests(PostgresCluster cluster) : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _opened = [];

    public void Dispose() => _opened.ForEach(o => o.Dispose());

    [Fact]
    public async Task One_episode_is_one_id_on_every_node_even_one_started_later_pushed_once_to_each_nodes_readers_and_closed_for_all()
    {
        var database = cluster.CreateDatabase();
        var a = Client(database);
        var traffic = new SimulatedTraffic(a, _time);
        await traffic.SteadyHourAsync();
        await FailingMinutesAsync(traffic, 3);
        var first = Assert.Single((await traffic.InsightsAsync()).Insights);
        await HealthyMinutesAsync(traffic, 6);
        Assert.False(Assert.Single((await traffic.InsightsAsync()).Insights).Open);

        // A node started after the first episode knows it under its id, and evaluates with the first on the same record.
        var b = Client(database);
        var trafficOnB = new SimulatedTraffic(b, _time);
        var firstOnB = Assert.Single((await trafficOnB.InsightsAsync()).Insights);
        Assert.Equal((first.Id, false), (firstOnB.Id, firstOnB.Open));
        await HealthyMinutesAsync(traffic, 30);
        await using var readerOnA = await SseReader.OpenAsync(a);
        await using var readerOnB = await SseReader.OpenAsync(b);

        await FailingMinutesAsync(traffic, 3);
        var second = (await trafficOnB.InsightsAsync()).Insights.Single(i => i.Open);
        var secondOnA = (await traffic.InsightsAsync()).Insights.Single(i => i.Open);
        await a.TrackAsync("after-the-insight", """{"serviceName":"catalog"}""");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(second.Id, secondOnA.Id);
        Assert.Equal([second.Id], await InsightsPushedBeforeAsync(readerOnA, "after-the-insight"));
        Assert.Equal([second.Id], await InsightsPushedBeforeAsync(readerOnB, "after-the-insight"));

        await HealthyMinutesAsync(traffic, 6);
        Assert.Equal([first.Id, second.Id], (await trafficOnB.InsightsAsync()).Insights.Select(i => i.Id).Order());
        Assert.All((await traffic.InsightsAsync()).Insights, i => Assert.False(i.Open));
    }

    private static async Task FailingMinutesAsync(SimulatedTraffic traffic, int minutes)
    {
        for (var minute = 0; minute < minutes; minute++)
        {
            await traffic.MinuteAsync(("checkout", 1.0, 0.4, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }
    }

    private static async Task HealthyMinutesAsync(SimulatedTraffic traffic, int minutes)
    {
        for (var minute = 0; minute < minutes; minute++)
        {
            await traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }
    }

    private HttpClient Client(string database)
    {
        // Evaluated when asked (the hourly timer is never reached): on the fake clock every event of a minute carries the minute's first instant, and a
        // timer evaluation racing the next minute's batch would count two minutes as one.
        var node = new TestServerFactory(
            new Dictionary<string, string?>
            {
                ["EventTracker:Store:Provider"] = "PostgreSQL",
                ["ConnectionStrings:EventTracker"] = database,
                ["EventTracker:Insights:EvaluationInterval"] = "01:00:00",
            },
            _time);
        var client = node.CreateClient();
        _opened.Add(client);
        _opened.Add(node);
        return client;
    }

    private static async Task<List<string>> InsightsPushedBeforeAsync(SseReader reader, string marker)
    {
        var pushed = new List<string>();
        while (true)
        {
            var (_, _, message) = await reader.NextAsync();
            if (message.Type == StreamMessageTypes.Insight)
            {
                pushed.Add(message.AsInsight()!.Id);
            }
            else if (message.AsEvent()?.Name == marker)
            {
                return pushed;
            }
        }
    }
}
