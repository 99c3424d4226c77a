using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventTracker.Server.Tests;

/// <summary>Every bad request gets a 4xx problem naming the field, and the store stays as it was.</summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.Fixture>
{
    private static readonly string Long201 = new('x', 201);
    private readonly Fixture _fixture;

    public BadInputTests(Fixture fixture) => _fixture = fixture;

    public static TheoryData<string, string, string?, string?, int, string> Cases => new()
    {
        // method, path, content type, body, status, field named in errors
        { "POST", "/api/events/track/a", "application/json", """{"serviceName":""", 400, "body" },
        { "POST", "/api/events/track/a", "application/json", "[1,2]", 400, "body" },
        { "POST", "/api/events/track/a", "application/json", "\"text\"", 400, "body" },
        { "POST", "/api/events/track/a", "application/json", "{'single':'quotes'}", 400, "body" },
        { "POST", "/api/events/track/a", "application/json", """{"statusCode":"abc"}""", 400, "statusCode" },
        { "POST", "/api/events/track/a", "application/json", """{"statusCode":200.5}""", 400, "statusCode" },
        { "POST", "/api/events/track/a", "application/json", """{"statusCode":1000}""", 400, "statusCode" },
        { "POST", "/api/events/track/a", "application/json", """{"statusCode":-1}""", 400, "statusCode" },
        { "POST", "/api/events/track/a", "application/json", """{"responseTimeMs":"fast"}""", 400, "responseTimeMs" },
        { "POST", "/api/events/track/a", "application/json", """{"responseTimeMs":-5}""", 400, "responseTimeMs" },
        { "POST", "/api/events/track/a", "application/json", """{"metadata":[1]}""", 400, "metadata" },
        { "POST", "/api/events/track/a", "application/json", """{"metadata":"x"}""", 400, "metadata" },
        { "POST", "/api/events/track/a", "application/json", """{"serviceName":42}""", 400, "serviceName" },
        { "POST", "/api/events/track/a", "application/json", $$"""{"serviceName":"{{Long201}}"}""", 400, "serviceName" },
        { "POST", "/api/events/track/a", "application/json", """{"sessionId":"a\u0007b"}""", 400, "sessionId" },
        { "POST", "/api/events/track/a", "application/json", $$"""{"userAgent":"{{new string('u', 2001)}}"}""", 400, "userAgent" },
        { "POST", "/api/events/track/a", "application/json", """{"userId":{"id":1}}""", 400, "userId" },
        { "POST", "/api/events/track/a", "application/json", """{"timestamp":"yesterday"}""", 400, "timestamp" },
        { "POST", "/api/events/track/a", "application/json", """{"timestamp":true}""", 400, "timestamp" },
        { "POST", "/api/events/track/a", "application/json", """{"timestamp":{"ms":1}}""", 400, "timestamp" },
        { "POST", "/api/events/track/a", "application/json", """{"timestamp":1e300}""", 400, "timestamp" },
        { "POST", "/api/events/track/a", "application/json", """{"timestamp":0}""", 400, "timestamp" },
        { "POST", "/api/events/track/a", "application/json", $$"""{"timestamp":{{DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds()}}}""", 400, "timestamp" },
        { "POST", "/api/events/track/a", "application/json", $$"""{"timestamp":"{{DateTimeOffset.UtcNow.AddDays(-31):O}}"}""", 400, "timestamp" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"ok"},{"eventName":"a","payload":{"timestamp":"soon"}}]}""", 400, "events[1].payload.timestamp" },
        { "POST", "/api/events/track/" + Long201, "application/json", "{}", 400, "eventName" },
        { "POST", "/api/events/track/bad%01name", "application/json", "{}", 400, "eventName" },
        { "POST", "/api/events/track/%20%20", "application/json", "{}", 400, "eventName" },
        { "POST", "/api/events/track", "application/json", "{}", 400, "eventName" },
        { "POST", "/api/events/track/a", "application/xml", "<a/>", 415, "Content-Type" },
        { "POST", "/api/events/track/a", "application/x-www-form-urlencoded", "a=1", 415, "Content-Type" },
        { "POST", "/api/events/track/a", "application/json", "{\"metadata\":{\"blob\":\"" + new string('b', 1024 * 1024) + "\"}}", 413, "body" },
        { "POST", "/api/events/track/batch", "application/json", "", 400, "events" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[]}""", 400, "events" },
        { "POST", "/api/events/track/batch", "application/json", "{}", 400, "events" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":{}}""", 400, "events" },
        { "POST", "/api/events/track/batch", "application/json", BatchOf(1001), 413, "events" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"payload":{}}]}""", 400, "events[0].eventName" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"a","payload":{"statusCode":"x"}}]}""", 400, "events[0].payload.statusCode" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"ok"},{"eventName":"bad\n"}]}""", 400, "events[1].eventName" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"ok"},{"eventName":"x","payload":{"responseTimeMs":-1}}]}""", 400, "events[1].payload.responseTimeMs" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[null]}""", 400, "events[0]" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"a"},{"eventName":"b","userId":"u-1"}]}""", 400, "events[1].userId" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"a","timestamp":1}]}""", 400, "events[0].timestamp" },
        { "POST", "/api/events/track/batch", "application/json", $$"""{"batchId":"{{Long201}}","events":[{"eventName":"a"}]}""", 400, "batchId" },
        { "POST", "/api/events/track/batch", "application/json", """{"events":[{"eventName":"a","eventId":""}]}""", 400, "events[0].eventId" },
        { "POST", "/api/events/track/batch", "text/csv", "a,b", 415, "Content-Type" },
        { "GET", "/api/events?limit=-1", null, null, 400, "limit" },
        { "GET", "/api/events?limit=abc", null, null, 400, "limit" },
        { "GET", "/api/events?from=yesterday", null, null, 400, "from" },
        { "GET", "/api/events?to=2025-13-45T00:00:00Z", null, null, 400, "to" },
        { "GET", "/api/events?from=2025-08-28T00:00:00Z&to=2025-08-27T00:00:00Z", null, null, 400, "to" },
        { "GET", "/api/events?from=24x", null, null, 400, "from" },
        { "GET", "/api/events?cursor=not-a-cursor", null, null, 400, "cursor" },
        { "GET", "/api/events?serviceName=" + Long201, null, null, 400, "serviceName" },
        { "GET", "/api/events?statusClass=6xx", null, null, 400, "statusClass" },
        { "GET", "/api/events?statusClass=abc", null, null, 400, "statusClass" },
        { "GET", "/api/events?errorsOnly=maybe", null, null, 400, "errorsOnly" },
        { "GET", "/api/events/stream?statusClass=6xx", null, null, 400, "statusClass" },
        { "GET", "/api/events/stream?statusClass=abc", null, null, 400, "statusClass" },
        { "GET", "/api/events/stream?errorsOnly=maybe", null, null, 400, "errorsOnly" },
        { "GET", "/api/events/services?statusClass=6xx", null, null, 400, "statusClass" },
        { "GET", "/api/events/statistics?errorsOnly=maybe", null, null, 400, "errorsOnly" },
        { "GET", "/api/events/timeseries?statusClass=abc", null, null, 400, "statusClass" },
        { "GET", "/api/events/timeseries?userId=%01", null, null, 400, "userId" },
        { "GET", "/api/events/trace/bad%01id", null, null, 400, "correlationId" },
        { "GET", "/api/events/trace/" + Long201, null, null, 400, "correlationId" },
        { "GET", "/api/events/trace/never-seen", null, null, 404, "correlationId" },
        { "GET", "/api/events/services?from=soon", null, null, 400, "from" },
        { "GET", "/api/events/statistics?to=later", null, null, 400, "to" },
        { "GET", "/api/events/suggestions?limit=-3", null, null, 400, "limit" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_changes_nothing(
        string method, string path, string? contentType, string? body, int status, string field)
    {
        var client = _fixture.Client;
        var before = await client.GetEventsAsync("?limit=1000");

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["title"]);
        Assert.True(problem["errors"]?[field] is JsonArray { Count: > 0 }, $"errors should name '{field}': {problem.ToJsonString()}");

        var after = await client.GetEventsAsync("?limit=1000");
        Assert.Equal(before.Total, after.Total);
        Assert.Equal(before.Events.Select(e => e.Id), after.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task All_batch_item_errors_are_reported_together()
    {
        using var response = await _fixture.Client.PostAsync("/api/events/track/batch",
            new StringContent("""{"events":[{"eventName":""},{"eventName":"ok"},{"eventName":"x","eventId":""}]}""", Encoding.UTF8, "application/json"));

        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["events[0].eventName", "events[2].eventId"], errors.Select(e => e.Key).Order());
    }

    private static string BatchOf(int count) =>
        JsonSerializer.Serialize(new { events = Enumerable.Range(0, count).Select(i => new { eventName = "e" + i }) });

    /// <summary>One server holding a few events, so "changes nothing" is checked against a non-empty store.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly TestServerFactory _factory = new();

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Client = _factory.CreateClient();
            await Client.TrackAsync("seeded-1", """{"serviceName":"svc"}""");
            await Client.TrackAsync("seeded-2", """{"serviceName":"svc"}""");
        }

        public async Task DisposeAsync() => await _factory.DisposeAsync();
    }
}
