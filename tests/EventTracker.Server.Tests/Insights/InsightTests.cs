using System.Net;
using System.Text.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Insights;

/// <summary>Each kind of insight on a fake clock: an hour of steady, noisy traffic, then the condition.</summary>
public sealed class InsightTests : IDisposable
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero)));
    private readonly HttpClient _client;
    private readonly SimulatedTraffic _traffic;

    public InsightTests()
    {
        _client = _factory.CreateClient();
        _traffic = new SimulatedTraffic(_client, _factory.Time!);
    }

    private FakeTimeProvider Time => _factory.Time!;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Steady_noisy_traffic_over_six_hours_raises_no_insight()
    {
        for (var minute = 0; minute < 360; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.02, 1.0), ("search", 1.0, 0.0, 1.0));
            if (minute < 30 || minute % 10 == 9) // every minute while windows are short and baselines few
            {
                Assert.Empty((await InsightsAsync()).Insights);
            }
        }
    }

    [Fact]
    public async Task Slower_responses_are_a_performance_insight_with_evidence()
    {
        await SteadyHourAsync();
        for (var minute = 0; minute < 5; minute++)
        {
            await MinuteAsync(("checkout", 4.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }

        var insight = Assert.Single((await InsightsAsync()).Insights);

        Assert.Equal((InsightTypes.Performance, "checkout", true), (insight.Type, insight.ServiceName, insight.Open));
        Assert.Contains("checkout", insight.Title, StringComparison.Ordinal);
        Assert.Equal("avgResponseTimeMs", insight.Evidence.Metric);
        Assert.InRange(insight.Evidence.Current, 280, 360);
        Assert.InRange(insight.Evidence.BaselineMean!.Value, 70, 90);
        Assert.True(insight.Evidence.ZScore >= 2);
        Assert.Equal(TimeSpan.FromMinutes(5), insight.Evidence.Window.To - insight.Evidence.Window.From);
        // Found by the timer's evaluation a minute or two into the slowdown: its baseline is the 5-minute windows held before that, kept while the episode lasts.
        Assert.InRange(insight.Evidence.BaselineWindows!.Value, 11, 12);
        Assert.Equal(TimeSpan.FromMinutes(5 * insight.Evidence.BaselineWindows!.Value), insight.Evidence.Baseline!.To - insight.Evidence.Baseline.From);
        Assert.True(insight.Evidence.Baseline.To <= insight.Evidence.Window.From);
        Assert.InRange(insight.Evidence.SampleSize, 85, 115);
        Assert.InRange(insight.Confidence, 0.6, 0.99);
        Assert.InRange(insight.Priority, 0.45, 1);
        Assert.NotEmpty(insight.Recommendations);
        Assert.InRange(insight.Impact.UserExperience, 0.01, 1);
    }

    [Fact]
    public async Task More_errors_are_a_reliability_insight_and_the_episode_keeps_its_id_until_it_is_over()
    {
        await SteadyHourAsync();
        await MinuteAsync(("checkout", 1.0, 0.3, 1.0));
        await MinuteAsync(("checkout", 1.0, 0.3, 1.0));
        var first = Assert.Single((await InsightsAsync()).Insights);
        for (var minute = 0; minute < 3; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.3, 1.0));
        }

        var later = Assert.Single((await InsightsAsync("?type=reliability")).Insights);
        for (var minute = 0; minute < 6; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.01, 1.0));
        }

        var over = Assert.Single((await InsightsAsync("?serviceName=checkout")).Insights);

        Assert.Equal(InsightTypes.Reliability, first.Type);
        Assert.Equal("errorRatePercent", first.Evidence.Metric);
        Assert.Equal(first.Id, later.Id);
        Assert.True(later.LastSeenAt > first.LastSeenAt);
        Assert.True(later.Evidence.Current > first.Evidence.Current); // the window filled with failing minutes
        Assert.InRange(later.Evidence.Current, 25, 35);
        Assert.Equal(first.Id, over.Id);
        Assert.False(over.Open);
    }

    [Theory]
    [InlineData(5.0, "spike")]
    [InlineData(0.1, "drop")]
    public async Task A_volume_spike_or_drop_is_a_traffic_insight(double volume, string direction)
    {
        await SteadyHourAsync();
        for (var minute = 0; minute < 5; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.01, volume), ("catalog", 1.0, 0.01, 1.0));
        }

        var insight = Assert.Single((await InsightsAsync()).Insights);

        Assert.Equal((InsightTypes.Traffic, "checkout"), (insight.Type, insight.ServiceName));
        Assert.Equal(direction, insight.Evidence.Details!["direction"]);
    }

    [Fact]
    public async Task A_burst_of_failed_logins_and_one_session_acting_for_many_users_are_security_insights()
    {
        await SteadyHourAsync();
        var events = Enumerable.Range(0, 15).Select(i => $$$"""{"eventName":"user-login","payload":{"serviceName":"auth","statusCode":401,"sessionId":"s-attacker","userId":"victim-{{{i}}}"}}""");
        await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
        Time.Advance(TimeSpan.FromSeconds(30));

        var insights = (await InsightsAsync("?type=security")).Insights;

        Assert.Equal(["failedLogins", "usersPerSource"], insights.Select(i => i.Evidence.Metric).Order(StringComparer.Ordinal));
        Assert.All(insights, i => Assert.Equal("auth", i.ServiceName));
        Assert.Equal("s-attacker", insights.Single(i => i.Evidence.Metric == "usersPerSource").Evidence.Details!["sessionId"]);
        Assert.Equal(15, insights.Single(i => i.Evidence.Metric == "failedLogins").Evidence.Current);
    }

    [Fact]
    public async Task Flows_that_never_finish_and_a_funnel_people_leave_are_user_experience_insights()
    {
        await SteadyHourAsync();
        var events = Enumerable.Range(0, 30).Select(i => $$$"""{"eventName":"checkout-start","payload":{"serviceName":"shop","correlationId":"flow-{{{i}}}"}}""")
            .Concat(Enumerable.Range(0, 6).Select(i => $$$"""{"eventName":"checkout-completed","payload":{"serviceName":"shop","correlationId":"flow-{{{i}}}"}}"""));
        var started = Time.GetUtcNow();
        await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
        Time.Advance(TimeSpan.FromMinutes(1));

        var insights = (await InsightsAsync("?type=user-experience")).Insights;

        Assert.Equal(["funnelCompletionPercent", "unfinishedFlows"], insights.Select(i => i.Evidence.Metric).Order(StringComparer.Ordinal));
        var unfinished = insights.Single(i => i.Evidence.Metric == "unfinishedFlows").Evidence;
        Assert.Equal(24, unfinished.Current);
        Assert.Equal((started, started.AddMinutes(1).AddSeconds(-30)), (unfinished.Window.From, unfinished.Window.To)); // from the earliest open start to where a flow counts as unfinished
        Assert.Equal(20, insights.Single(i => i.Evidence.Metric == "funnelCompletionPercent").Evidence.Current);
    }

    [Fact]
    public async Task A_new_insight_is_pushed_to_the_readers_of_its_service_and_of_every_service()
    {
        await SteadyHourAsync();
        await using var checkoutReader = await SseReader.OpenAsync(_client, "?serviceName=checkout");
        await using var everyService = await SseReader.OpenAsync(_client);
        await using var catalogReader = await SseReader.OpenAsync(_client, "?serviceName=catalog");
        for (var minute = 0; minute < 3; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.4, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }

        await InsightsAsync();
        await _client.TrackAsync("after-the-insight", """{"serviceName":"catalog"}""");

        Assert.Equal((InsightTypes.Reliability, "checkout"), await NextInsightAsync(checkoutReader));
        Assert.Equal((InsightTypes.Reliability, "checkout"), await NextInsightAsync(everyService));
        (string? Id, string EventType, StreamMessage Message) next;
        do
        {
            next = await catalogReader.NextAsync();
            Assert.NotEqual(StreamMessageTypes.Insight, next.Message.Type);
        }
        while (next.Message.AsEvent()?.Name != "after-the-insight");
    }

    private static async Task<(string, string?)> NextInsightAsync(SseReader reader)
    {
        (string? Id, string EventType, StreamMessage Message) message;
        do
        {
            message = await reader.NextAsync();
        }
        while (message.Message.Type != StreamMessageTypes.Insight);

        var insight = message.Message.AsInsight()!;
        return (insight.Type, insight.ServiceName);
    }

    [Theory]
    [InlineData("?type=weather", "type")]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?from=later", "from")]
    public async Task Bad_filters_are_refused_naming_them(string query, string field)
    {
        using var response = await _client.GetAsync(EventTrackerRoutes.Insights + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task SteadyHourAsync() => _traffic.SteadyHourAsync();

    private Task MinuteAsync(params (string Service, double Slower, double Errors, double Volume)[] services) => _traffic.MinuteAsync(services);

    private Task<InsightsResponse> InsightsAsync(string query = "") => _traffic.InsightsAsync(query);
}
