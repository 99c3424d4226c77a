using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Access;

using static EventTracker.Server.Tests.Alerts.AlertSettings;

namespace EventTracker.Server.Tests.Alerts;

/// <summary><c>POST /api/alerts/test</c> and <c>GET /api/alerts</c>: the admin scope, which webhooks a test reaches, and refusals that say why.</summary>
public sealed class AlertEndpointTests : IAsyncLifetime
{
    private const string AdminKey = "admin-key-0123456789ab";
    private const string ReadKey = "read-key-0123456789abc";
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_test_needs_an_admin_key_and_reaches_the_webhook_as_an_alert_test_message()
    {
        var settings = With(Hook("ops", _receiver.Url("/ops")), Hook("team", _receiver.Url("/team")));
        settings["EventTracker:Auth:Keys:0:Name"] = "operator";
        settings["EventTracker:Auth:Keys:0:Key"] = AdminKey;
        settings["EventTracker:Auth:Keys:0:Scopes:0"] = Scopes.Admin;
        settings["EventTracker:Auth:Keys:1:Name"] = "analyst";
        settings["EventTracker:Auth:Keys:1:Key"] = ReadKey;
        settings["EventTracker:Auth:Keys:1:Scopes:0"] = Scopes.Read;
        await using var server = new TestServerFactory(settings);
        using var client = server.CreateClient();

        using var anonymous = await SendAsync(client, HttpMethod.Post, EventTrackerRoutes.AlertsTest + "?name=ops", null);
        using var reader = await SendAsync(client, HttpMethod.Post, EventTrackerRoutes.AlertsTest + "?name=ops", ReadKey);
        using var readerLists = await SendAsync(client, HttpMethod.Get, EventTrackerRoutes.Alerts, ReadKey);
        using var admin = await SendAsync(client, HttpMethod.Post, EventTrackerRoutes.AlertsTest + "?name=ops", AdminKey);
        var received = Assert.Single(await _receiver.WaitForDeliveredAsync("/ops", 1));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readerLists.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, admin.StatusCode);
        var queued = Assert.Single((await admin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").EnumerateArray());
        Assert.Equal("ops", queued.GetProperty("webhook").GetString());
        Assert.Equal(queued.GetProperty("id").GetString(), received.Header("webhook-id"));
        Assert.Equal("alert.test", received.Type);
        Assert.Equal("ops", received.Json.GetProperty("data").GetProperty("webhook").GetString());
        Assert.Contains("ops", received.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.Received, m => m.Path == "/team");
    }

    [Fact]
    public async Task A_test_without_a_name_reaches_every_webhook_and_a_name_may_come_in_the_body()
    {
        await using var server = new TestServerFactory(With(Hook("ops", _receiver.Url("/ops")), Hook("team", _receiver.Url("/team"))));
        using var client = server.CreateClient();

        using var all = await client.PostAsync(EventTrackerRoutes.AlertsTest, null);
        using var named = await client.PostAsync(EventTrackerRoutes.AlertsTest, new StringContent("""{"name":"team"}""", Encoding.UTF8, "application/json"));
        await _receiver.WaitForDeliveredAsync("/team", 2);

        Assert.Equal(["ops", "team"], (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").EnumerateArray().Select(q => q.GetProperty("webhook").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, named.StatusCode);
        Assert.Single(_receiver.Received, m => m.Path == "/ops");
    }

    [Theory]
    [InlineData("?name=nobody", null, HttpStatusCode.NotFound, "name")]
    [InlineData("", """{"name":"nobody"}""", HttpStatusCode.NotFound, "name")]
    [InlineData("", "{not json", HttpStatusCode.BadRequest, "body")]
    public async Task A_test_for_an_unknown_webhook_or_with_a_bad_body_is_a_problem_naming_it(string query, string? body, HttpStatusCode status, string field)
    {
        await using var server = new TestServerFactory(With(Hook("ops", _receiver.Url("/ops"))));
        using var client = server.CreateClient();

        using var response = await client.PostAsync(EventTrackerRoutes.AlertsTest + query, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Without_webhooks_a_test_is_a_conflict_and_the_list_is_empty()
    {
        await using var server = new TestServerFactory();
        using var client = server.CreateClient();

        using var response = await client.PostAsync(EventTrackerRoutes.AlertsTest, null);
        var alerts = await InsightAlertTests.AlertsAsync(client);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("EventTracker:Alerts:Webhooks", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(alerts.GetProperty("webhooks").EnumerateArray());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? key)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add(ApiKeyReader.Header, key);
        }

        return client.SendAsync(request);
    }
}
