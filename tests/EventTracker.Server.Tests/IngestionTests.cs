using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests;

public sealed class IngestionTests : IDisposable
{
    private const string SeedPayload = """
        {"userAgent":"Mozilla/5.0...","referrer":"https://previous-page.com","sessionId":"session-abc123","userRole":"premium-user",
         "correlationId":"req-12345","statusCode":200,"responseTimeMs":150,"serviceName":"user-service",
         "metadata":{"feature":"authentication","version":"2.1.0","customField":"value"}}
        """;

    private const string SeedBatch = """
        {"batchId":"batch-xyz789","events":[
          {"eventName":"page-view","payload":{"serviceName":"web-analytics","sessionId":"session-123","metadata":{"page":"/dashboard","loadTime":1200}}},
          {"eventName":"api-call","payload":{"serviceName":"api-gateway","statusCode":200,"responseTimeMs":85,"correlationId":"req-456"}}]}
        """;

    private readonly TestServerFactory _factory = new();
    private readonly HttpClient _client;

    public IngestionTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Seed_single_event_is_tracked_and_stored_with_its_payload_intact()
    {
        var response = await _client.TrackAsync("user-login", SeedPayload, userId: "user-123");

        Assert.True(response.Success);
        Assert.Equal("Event tracked successfully", response.Message);
        Assert.StartsWith("evt-", response.EventId, StringComparison.Ordinal);
        var stored = Assert.Single((await _client.GetEventsAsync()).Events);
        Assert.Equal(response.EventId, stored.Id);
        Assert.Equal("user-login", stored.Name);
        Assert.Equal("user-123", stored.UserId);
        Assert.Equal("user-service", stored.ServiceName);
        Assert.Equal(response.Timestamp.ToUnixTimeMilliseconds(), stored.Timestamp);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedPayload), Api.ToNode(stored.Payload)));
    }

    [Fact]
    public async Task Extra_top_level_fields_from_browser_clients_are_kept()
    {
        var happened = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds();
        var payload = $$$"""{"serviceName":"web-app","timestamp":{{{happened}}},"userId":"anonymous","page":{"title":"Home"}}""";

        await _client.TrackAsync("page-view", payload);

        var stored = Assert.Single((await _client.GetEventsAsync()).Events);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(payload), Api.ToNode(stored.Payload)));
        Assert.Equal("anonymous", stored.UserId);
        Assert.Equal(happened, stored.Timestamp);
        Assert.InRange(stored.ReceivedAt!.Value, happened + 170_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_batchs_sent_at_corrects_the_event_times_of_a_client_whose_clock_is_off()
    {
        var serverNow = new DateTimeOffset(2025, 8, 27, 12, 0, 0, TimeSpan.Zero);
        await using var factory = new TestServerFactory(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(serverNow));
        using var client = factory.CreateClient();
        var clientNow = serverNow.AddMinutes(10).ToUnixTimeMilliseconds(); // the browser's clock is 10 minutes fast
        var happened = clientNow - 60_000;

        using var skewed = await client.PostAsync("/api/events/track/batch", new StringContent(
            $$$"""{"events":[{"eventName":"late-clock","payload":{"timestamp":{{{happened}}}}}]}"""));
        using var corrected = await client.PostAsync("/api/events/track/batch", new StringContent(
            $$$"""{"sentAt":{{{clientNow}}},"events":[{"eventName":"late-clock","payload":{"timestamp":{{{happened}}}}}]}"""));
        using var badSentAt = await client.PostAsync("/api/events/track/batch", new StringContent(
            """{"sentAt":-5,"events":[{"eventName":"late-clock"}]}"""));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, skewed.StatusCode);
        corrected.EnsureSuccessStatusCode();
        Assert.Equal(serverNow.AddMinutes(-1).ToUnixTimeMilliseconds(), Assert.Single((await client.GetEventsAsync()).Events).Timestamp);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badSentAt.StatusCode);
        Assert.Contains("sentAt", await badSentAt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"2025-08-27T10:30:45.123Z\"", 1756290645123)]
    [InlineData("\"2025-08-27T12:30:45.123+02:00\"", 1756290645123)]
    [InlineData("1756290645123", 1756290645123)]
    [InlineData("\"1756290645123\"", 1756290645123)]
    public async Task An_events_own_time_is_read_from_iso_8601_or_epoch_milliseconds(string timestamp, long expected)
    {
        await using var factory = new TestServerFactory(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(expected + 60_000)));
        using var client = factory.CreateClient();

        using var response = await client.PostAsync("/api/events/track/timed", new StringContent($$"""{"timestamp":{{timestamp}}}"""));

        response.EnsureSuccessStatusCode();
        var stored = Assert.Single((await client.GetEventsAsync()).Events);
        Assert.Equal(expected, stored.Timestamp);
        Assert.Equal(expected + 60_000, stored.ReceivedAt);
    }

    [Fact]
    public async Task User_header_wins_over_payload_user_id()
    {
        await _client.TrackAsync("user-created", """{"userId":"from-payload"}""", userId: "from-header");

        Assert.Equal("from-header", Assert.Single((await _client.GetEventsAsync()).Events).UserId);
    }

    [Fact]
    public async Task Numeric_and_null_payload_user_ids_are_accepted()
    {
        await _client.TrackAsync("a", """{"userId":42}""");
        await _client.TrackAsync("b", """{"userId":null}""");

        var events = (await _client.GetEventsAsync()).Events;
        Assert.Null(events[0].UserId);
        Assert.Equal("42", events[1].UserId);
    }

    [Fact]
    public async Task Session_and_correlation_headers_fill_missing_payload_fields_only()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/api-call")
        {
            Content = new StringContent("""{"sessionId":"own-session"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Session-Id", "header-session");
        request.Headers.Add("X-Correlation-Id", "header-correlation");

        (await _client.SendAsync(request)).EnsureSuccessStatusCode();

        var stored = Assert.Single((await _client.GetEventsAsync()).Events);
        Assert.Equal("own-session", stored.Payload.SessionId);
        Assert.Equal("header-correlation", stored.Payload.CorrelationId);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain;charset=UTF-8")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.api+json")]
    public async Task Json_bodies_are_accepted_whatever_json_compatible_type_they_declare(string contentType)
    {
        using var content = new ByteArrayContent("""{"serviceName":"web"}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _client.PostAsync("/api/events/track/beacon", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("web", Assert.Single((await _client.GetEventsAsync()).Events).ServiceName);
    }

    [Fact]
    public async Task An_empty_body_tracks_an_event_with_an_empty_payload()
    {
        using var response = await _client.PostAsync("/api/events/track/heartbeat", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single((await _client.GetEventsAsync()).Events);
        Assert.Equal("heartbeat", stored.Name);
        Assert.Null(stored.ServiceName);
    }

    [Fact]
    public async Task A_replayed_idempotency_key_is_acknowledged_with_the_original_id_and_stored_once()
    {
        var first = await SendWithKeyAsync("Idempotency-Key", "key-1");
        var second = await SendWithKeyAsync("Idempotency-Key", "key-1");
        var third = await SendWithKeyAsync("X-Event-Id", "key-1");

        Assert.Equal(first.EventId, second.EventId);
        Assert.Equal(first.EventId, third.EventId);
        Assert.Equal(first.Timestamp, second.Timestamp);
        Assert.Equal("Event already tracked", second.Message);
        Assert.Equal(1, (await _client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task Seed_batch_is_stored_whole()
    {
        var response = await _client.TrackBatchAsync(SeedBatch);

        Assert.True(response.Success);
        Assert.Equal(2, response.ProcessedCount);
        Assert.Equal("batch-xyz789", response.BatchId);
        var events = (await _client.GetEventsAsync()).Events;
        Assert.Equal(["api-call", "page-view"], events.Select(e => e.Name));
        Assert.Equal(1200, events[1].Payload.Metadata!["loadTime"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replayed_batch_id_is_acknowledged_and_not_stored_again()
    {
        await _client.TrackBatchAsync(SeedBatch);

        using var replay = await _client.PostAsync("/api/events/track/batch", new StringContent(SeedBatch, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Contains("\"processedCount\":2", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await _client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task An_idempotency_key_names_a_batch_that_has_no_batch_id()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/batch")
            {
                Content = new StringContent("""{"events":[{"eventName":"a"},{"eventName":"b"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "retry-me");
            using var response = await _client.SendAsync(request);
            Assert.Contains("\"batchId\":\"retry-me\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(2, (await _client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task Batch_items_with_known_event_ids_are_not_stored_twice()
    {
        const string first = """{"events":[{"eventName":"a","eventId":"e1"},{"eventName":"b","eventId":"e2"}]}""";
        const string retry = """{"events":[{"eventName":"b","eventId":"e2"},{"eventName":"c","eventId":"e3"},{"eventName":"c","eventId":"e3"}]}""";

        var firstResponse = await _client.TrackBatchAsync(first);
        var retryResponse = await _client.TrackBatchAsync(retry);

        Assert.Equal(2, firstResponse.ProcessedCount);
        Assert.Equal(1, retryResponse.ProcessedCount);
        Assert.NotEqual(firstResponse.BatchId, retryResponse.BatchId);
        Assert.Equal(["c", "b", "a"], (await _client.GetEventsAsync()).Events.Select(e => e.Name));
    }

    [Fact]
    public async Task Batch_headers_apply_to_every_item()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/batch")
        {
            Content = new StringContent("""{"events":[{"eventName":"a"},{"eventName":"b","payload":{"userId":"own"}}]}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Session-Id", "s-1");

        (await _client.SendAsync(request)).EnsureSuccessStatusCode();

        var events = (await _client.GetEventsAsync()).Events;
        Assert.All(events, e => Assert.Equal("s-1", e.Payload.SessionId));
        Assert.Equal(["own", null], events.Select(e => e.UserId));
    }

    [Fact]
    public async Task Event_names_with_reserved_url_characters_round_trip()
    {
        await _client.TrackAsync("checkout/step 2?");

        Assert.Equal("checkout/step 2?", Assert.Single((await _client.GetEventsAsync()).Events).Name);
    }

    private async Task<TrackEventResponse> SendWithKeyAsync(string header, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/purchase-completed")
        {
            Content = new StringContent("""{"serviceName":"payment-service"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(header, key);
        using var response = await _client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, EventTrackerJsonContext.Default.TrackEventResponse))!;
    }
}
