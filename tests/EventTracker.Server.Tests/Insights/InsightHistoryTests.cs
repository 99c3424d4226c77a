using EventTracker.Contracts;
using EventTracker.Server.Insights;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Insights;

/// <summary>Insights over the history a server has: a few minutes after it starts, and through an incident that lasts hours.</summary>
public sealed class InsightHistoryTests : IDisposable
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero)));
    private readonly HttpClient _client;
    private readonly SimulatedTraffic _traffic;

    public InsightHistoryTests()
    {
        _client = _factory.CreateClient();
        _traffic = new SimulatedTraffic(_client, _factory.Time!);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Too_little_history_is_said_in_the_answer_instead_of_an_empty_list()
    {
        await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));

        var early = await InsightsAsync();
        await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        var ready = await InsightsAsync("?serviceName=checkout");

        Assert.Empty(early.Insights);
        Assert.Equal(["catalog", "checkout"], early.Baselines.Select(b => b.ServiceName));
        var warming = early.Baselines.Single(b => b.ServiceName == "checkout");
        Assert.True(warming.WarmingUp);
        Assert.Equal((2.0, 4.0), (warming.HeldMinutes, warming.NeededMinutes));
        Assert.Equal("baseline: warming up, 2 minutes held of the 4 needed", warming.Description);
        Assert.Null(warming.WindowMinutes);

        var judged = Assert.Single(ready.Baselines);
        Assert.False(judged.WarmingUp);
        Assert.Equal((1.0, 3), (judged.WindowMinutes, judged.BaselineWindows));
        Assert.Equal("baseline: the last 1 min against the 3 windows before it (4 minutes held)", judged.Description);
    }

    [Fact]
    public async Task Four_minutes_of_steady_history_are_enough_to_see_a_degradation_within_two_minutes()
    {
        for (var minute = 0; minute < 4; minute++)
        {
            await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0), ("search", 1.0, 0.0, 1.0));
        }

        Assert.Empty((await InsightsAsync()).Insights);
        var seen = new List<AIInsight>();
        for (var minute = 0; minute < 2 && seen.Count < 2; minute++)
        {
            // Checkout eight times slower, failing 30 % of the time.
            await _traffic.MinuteAsync(("checkout", 8.0, 0.3, 1.0), ("catalog", 1.0, 0.01, 1.0), ("search", 1.0, 0.0, 1.0));
            seen = [.. (await InsightsAsync()).Insights];
        }

        Assert.Equal([InsightTypes.Performance, InsightTypes.Reliability], seen.Select(i => i.Type).Order(StringComparer.Ordinal));
        Assert.All(seen, i => Assert.Equal("checkout", i.ServiceName));
        Assert.All(seen, i => Assert.Equal(TimeSpan.FromMinutes(1), i.Evidence.Window.To - i.Evidence.Window.From));
        Assert.InRange(seen.Single(i => i.Type == InsightTypes.Reliability).Evidence.Current, 15, 45);
    }

    [Fact]
    public async Task A_degradation_lasting_three_hours_stays_one_open_episode_until_it_ends()
    {
        for (var minute = 0; minute < 60; minute++)
        {
            await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }

        var ids = new HashSet<string>();
        for (var minute = 0; minute < 180; minute++)
        {
            await _traffic.MinuteAsync(("checkout", 4.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
            if (minute % 10 == 9)
            {
                var open = Assert.Single((await InsightsAsync()).Insights);
                Assert.Equal((InsightTypes.Performance, "checkout", true), (open.Type, open.ServiceName, open.Open));
                ids.Add(open.Id);
            }
        }

        for (var minute = 0; minute < 10; minute++)
        {
            await _traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }

        var over = Assert.Single((await InsightsAsync()).Insights);
        Assert.Equal(ids.Single(), over.Id);
        Assert.False(over.Open);
        Assert.InRange(over.LastSeenAt - over.DetectedAt, TimeSpan.FromMinutes(175), TimeSpan.FromMinutes(185));
    }

    [Fact]
    public async Task Evaluations_at_the_same_time_never_close_and_reopen_an_episode()
    {
        for (var minute = 0; minute < 10; minute++)
        {
            await _traffic.MinuteAsync(("auth", 1.0, 0.0, 1.0));
        }

        var engine = _factory.Services.GetRequiredService<InsightEngine>();
        using var stop = new CancellationTokenSource();
        var evaluators = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await engine.EvaluateAsync(CancellationToken.None);
            }
        })).ToList();

        // The burst lands while evaluations that read the projection before it are still running.
        var burst = Enumerable.Range(0, 15).Select(i => $$$"""{"eventName":"user-login","payload":{"serviceName":"auth","statusCode":401,"userId":"victim-{{{i}}}"}}""");
        await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", burst)}}]}""");
        for (var i = 0; i < 20; i++)
        {
            _factory.Time!.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        await stop.CancelAsync();
        await Task.WhenAll(evaluators);

        var episode = Assert.Single((await InsightsAsync("?type=security")).Insights);
        Assert.True(episode.Open);
    }

    private Task<InsightsResponse> InsightsAsync(string query = "") => _traffic.InsightsAsync(query);
}
