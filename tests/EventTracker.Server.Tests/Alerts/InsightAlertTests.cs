using System.Net.Http.Json;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Tests.Insights;
using Microsoft.Extensions.Time.Testing;

using static EventTracker.Server.Tests.Alerts.AlertSettings;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>Insight episodes reaching webhooks: one signed message when an episode opens and one when it closes, only where the filters let it through.</summary>
public sealed class InsightAlertTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly string _whsecSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray());
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task An_opened_episode_is_posted_signed_with_the_insight_and_a_slack_text()
    {
        await using var server = Server(
            Hook("whsec", _receiver.Url("/whsec"), _whsecSecret),
            Hook("plain", _receiver.Url("/plain"), "a plain shared secret"),
            Hook("unsigned", _receiver.Url("/unsigned")));
        var (client, traffic) = Drive(server);
        await traffic.SteadyHourAsync();
        await traffic.MinuteAsync(("checkout", 1.0, 0.3, 1.0), ("catalog", 1.0, 0.01, 1.0));
        await traffic.MinuteAsync(("checkout", 1.0, 0.3, 1.0), ("catalog", 1.0, 0.01, 1.0));

        var insight = Assert.Single((await traffic.InsightsAsync()).Insights);
        var whsec = Assert.Single(await _receiver.WaitForDeliveredAsync("/whsec", 1));
        var plain = Assert.Single(await _receiver.WaitForDeliveredAsync("/plain", 1));
        var unsigned = Assert.Single(await _receiver.WaitForDeliveredAsync("/unsigned", 1));

        Signatures.AssertSigned(whsec, _whsecSecret);
        Signatures.AssertSigned(plain, "a plain shared secret");
        Assert.Null(unsigned.Header("webhook-signature"));
        // Signed when sent: after the episode opened (the timer's evaluation may have found it a minute before the query), by now at the latest.
        Assert.InRange(long.Parse(unsigned.Header("webhook-timestamp")!, System.Globalization.CultureInfo.InvariantCulture), insight.DetectedAt.ToUnixTimeSeconds(), server.Time!.GetUtcNow().ToUnixTimeSeconds());
        Assert.StartsWith("application/json", whsec.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(3, new[] { whsec, plain, unsigned }.Select(m => m.Header("webhook-id")).Distinct().Count());

        var body = whsec.Json;
        Assert.Equal("insight.opened", body.GetProperty("type").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", body.GetProperty("timestamp").GetString());
        var data = body.GetProperty("data").Deserialize(EventTrackerJsonContext.Default.AIInsight)!;
        Assert.Equal((insight.Id, InsightTypes.Reliability, "checkout", true), (data.Id, data.Type, data.ServiceName, data.Open));
        Assert.Contains("checkout", data.Title, StringComparison.Ordinal); // as it was when the episode opened; the insight has moved on since
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", body.GetProperty("data").GetProperty("detectedAt").GetString());
        var text = body.GetProperty("text").GetString()!;
        Assert.Contains("checkout", text, StringComparison.Ordinal);
        Assert.Contains(data.Title, text, StringComparison.Ordinal);
        Assert.InRange(text.Split('\n').Length, 1, 3);
        Assert.Equal(body.GetRawText(), JsonDocument.Parse(plain.Body).RootElement.GetRawText()); // one message, whoever gets it
    }

    [Fact]
    public async Task An_episode_is_posted_once_when_it_opens_and_once_when_it_closes_however_often_it_is_evaluated()
    {
        await using var server = Server(Hook("ops", _receiver.Url("/ops")));
        var (client, traffic) = Drive(server);
        await traffic.SteadyHourAsync();
        await traffic.MinuteAsync(("checkout", 1.0, 0.3, 1.0), ("catalog", 1.0, 0.01, 1.0));
        await traffic.MinuteAsync(("checkout", 1.0, 0.3, 1.0), ("catalog", 1.0, 0.01, 1.0));
        var first = Assert.Single((await traffic.InsightsAsync()).Insights);
        await _receiver.WaitForDeliveredAsync("/ops", 1);
        for (var minute = 0; minute < 3; minute++)
        {
            await traffic.MinuteAsync(("checkout", 1.0, 0.3, 1.0), ("catalog", 1.0, 0.01, 1.0));
            Assert.True(Assert.Single((await traffic.InsightsAsync()).Insights).Open);
        }

        for (var minute = 0; minute < 6; minute++)
        {
            await traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
            await traffic.InsightsAsync();
        }

        var over = Assert.Single((await traffic.InsightsAsync()).Insights);
        Assert.False(over.Open);
        await traffic.MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        await traffic.InsightsAsync();

        // Messages go out in order, so once a test message sent now arrives, anything queued before it has arrived too.
        (await client.PostAsync(EventTrackerRoutes.AlertsTest, null)).EnsureSuccessStatusCode();
        var messages = await _receiver.WaitForAsync(all => all.Any(m => m.Type == "alert.test"));
        Assert.Equal(["insight.opened", "insight.closed", "alert.test"], messages.Select(m => m.Type));
        var opened = messages[0].Json;
        var closed = messages[1].Json;
        Assert.Equal(first.Id, opened.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(first.Id, closed.GetProperty("data").GetProperty("id").GetString());
        Assert.False(closed.GetProperty("data").GetProperty("open").GetBoolean());
        Assert.Contains("Resolved", closed.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_sent_for_insight_types_a_webhook_filters_out_or_below_its_min_priority()
    {
        await using var server = Server(
            Hook("errors-only", _receiver.Url("/errors-only"), types: [InsightTypes.Reliability]),
            Hook("urgent", _receiver.Url("/urgent"), minPriority: 0.95),
            Hook("performance", _receiver.Url("/performance"), types: [InsightTypes.Performance, InsightTypes.Traffic]));
        var (client, traffic) = Drive(server);
        await traffic.SteadyHourAsync();
        for (var minute = 0; minute < 5; minute++)
        {
            await traffic.MinuteAsync(("checkout", 4.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }

        var insight = Assert.Single((await traffic.InsightsAsync()).Insights);
        var sent = Assert.Single(await _receiver.WaitForDeliveredAsync("/performance", 1)); // queued after what the others would have had

        Assert.Equal(InsightTypes.Performance, insight.Type);
        Assert.True(insight.Priority < 0.95);
        Assert.Equal(insight.Id, sent.Json.GetProperty("data").GetProperty("id").GetString());
        Assert.DoesNotContain(_receiver.Received, m => m.Path is "/errors-only" or "/urgent");
        var webhooks = (await AlertsAsync(client)).GetProperty("webhooks").EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!);
        Assert.Equal(0, webhooks["errors-only"].GetProperty("delivered").GetInt64() + webhooks["errors-only"].GetProperty("failed").GetInt64());
        Assert.Equal(0, webhooks["urgent"].GetProperty("delivered").GetInt64() + webhooks["urgent"].GetProperty("failed").GetInt64());
        Assert.Equal(["reliability"], webhooks["errors-only"].GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0.95, webhooks["urgent"].GetProperty("minPriority").GetDouble());
    }

    internal static async Task<JsonElement> AlertsAsync(HttpClient client) =>
        await client.GetFromJsonAsync<JsonElement>(EventTrackerRoutes.Alerts);

    private static TestServerFactory Server(params AlertSettings.Webhook[] webhooks) =>
        new(With(webhooks), new FakeTimeProvider(Start));

    private static (HttpClient Client, SimulatedTraffic Traffic) Drive(TestServerFactory server)
    {
        var client = server.CreateClient();
        return (client, new SimulatedTraffic(client, server.Time!));
    }
}
