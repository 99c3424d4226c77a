using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Testing;
using Microsoft.AspNetCore.Http;

using static EventTracker.Server.Tests.Alerts.AlertSettings;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>How messages get through, on the real clock with short retry delays: retries, a receiver that is down, a full queue.</summary>
public sealed class AlertDeliveryTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_500_is_retried_with_the_same_message_id_then_delivered_and_counted_once()
    {
        await using var server = new TestServerFactory(With(Hook("ops", _receiver.Url("/ops"), "a plain shared secret")));
        using var client = server.CreateClient();
        _receiver.FailNext(2);

        var queued = await TestAsync(client);
        var attempts = await _receiver.WaitForAsync(all => all.Any(m => m.Delivered));
        var alerts = await WaitForAlertsAsync(client, ops => ops.GetProperty("delivered").GetInt64() == 1);

        Assert.Equal([500, 500, 200], attempts.Select(a => a.Status));
        Assert.All(attempts, a => Assert.Equal(queued, a.Header("webhook-id")));
        Assert.All(attempts, a => Signatures.AssertSigned(a, "a plain shared secret"));
        Assert.Equal(0, alerts.GetProperty("failed").GetInt64());
        Assert.False(alerts.GetProperty("failing").GetBoolean());
    }

    [Fact]
    public async Task A_429_with_retry_after_waits_as_long_as_it_asks()
    {
        await using var server = new TestServerFactory(With(Hook("ops", _receiver.Url("/ops"))));
        using var client = server.CreateClient();
        _receiver.FailNext(1, StatusCodes.Status429TooManyRequests, retryAfter: "1");

        await TestAsync(client);
        var attempts = await _receiver.WaitForAsync(all => all.Any(m => m.Delivered));

        Assert.Equal([429, 200], attempts.Select(a => a.Status));
        Assert.True(attempts[1].ReceivedAt - attempts[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), "the retry came before Retry-After");
    }

    [Fact]
    public async Task A_receiver_that_is_down_leaves_ingestion_and_queries_answering_and_its_failures_counted()
    {
        var down = $"http://127.0.0.1:{LoopbackPorts.Free()}/hook?token=secret-in-query";
        await using var server = new TestServerFactory(new Dictionary<string, string?>(With(Hook("down", down)))
        {
            ["EventTracker:Alerts:MaxAttempts"] = "3",
        });
        using var client = server.CreateClient();

        await TestAsync(client);
        await client.TrackAsync("while-the-webhook-is-down", """{"serviceName":"checkout"}""");
        var events = await client.GetEventsAsync("?serviceName=checkout");
        using var insights = await client.GetAsync(EventTrackerRoutes.Insights);
        var alerts = await WaitForAlertsAsync(client, down => down.GetProperty("failed").GetInt64() == 1);

        Assert.Single(events.Events);
        Assert.Equal(HttpStatusCode.OK, insights.StatusCode);
        Assert.Equal(0, alerts.GetProperty("delivered").GetInt64());
        Assert.True(alerts.GetProperty("failing").GetBoolean());
        Assert.False(string.IsNullOrEmpty(alerts.GetProperty("lastError").GetString()));
        Assert.DoesNotContain("secret-in-query", alerts.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(EventTrackerRoutes.TrackPath("still-taking-events"), new StringContent("{}"))).StatusCode);
    }

    [Fact]
    public async Task A_full_queue_drops_its_oldest_messages_and_counts_them()
    {
        await using var server = new TestServerFactory(new Dictionary<string, string?>(With(Hook("slow", _receiver.Url("/slow"))))
        {
            ["EventTracker:Alerts:QueueCapacity"] = "1",
        });
        using var client = server.CreateClient();
        _receiver.Hold();

        await TestAsync(client);
        await WaitUntilAsync(() => _receiver.Waiting == 1); // the sender holds the first message; the queue is empty
        await TestAsync(client);
        await TestAsync(client);
        var last = await TestAsync(client);
        var whileFull = await WaitForAlertsAsync(client, slow => slow.GetProperty("dropped").GetInt64() == 2);
        _receiver.Release();
        var delivered = await _receiver.WaitForDeliveredAsync("/slow", 2);
        var after = await WaitForAlertsAsync(client, slow => slow.GetProperty("delivered").GetInt64() == 2);

        Assert.Equal(0, whileFull.GetProperty("delivered").GetInt64());
        Assert.Equal(last, delivered[1].Header("webhook-id")); // the newest was kept
        Assert.Equal(2, after.GetProperty("dropped").GetInt64());
    }

    /// <summary>Sends <c>POST /api/alerts/test</c> and answers the one message's id.</summary>
    private static async Task<string> TestAsync(HttpClient client)
    {
        using var response = await client.PostAsync(EventTrackerRoutes.AlertsTest, null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued");
        return Assert.Single(queued.EnumerateArray()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls <c>GET /api/alerts</c> (up to 10 s) until the one webhook's status satisfies <paramref name="done"/>.</summary>
    internal static async Task<JsonElement> WaitForAlertsAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        JsonElement webhook = default;
        await WaitUntilAsync(async () => done(webhook = Assert.Single((await InsightAlertTests.AlertsAsync(client)).GetProperty("webhooks").EnumerateArray())));
        return webhook;
    }

    private static Task WaitUntilAsync(Func<bool> done) => WaitUntilAsync(() => Task.FromResult(done()));

    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not done within 10 s.");
            await Task.Delay(20);
        }
    }
}
