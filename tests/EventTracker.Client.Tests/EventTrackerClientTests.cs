using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventTracker.Client.Tests;

/// <summary>Each method's request (path, query, headers, body) and response mapping, against WireMock.</summary>
public sealed class EventTrackerClientTests : IDisposable
{
    private const string TrackResponse = """{"success":true,"message":"Event tracked successfully","suggestions":[{"id":"sug-1","title":"T","score":0.9}],"eventId":"evt-1","timestamp":"2025-08-27T10:30:45.123Z"}""";
    private const string BatchResponse = """{"success":true,"processedCount":2,"suggestions":[],"batchId":"b","timestamp":"2025-08-27T10:30:45.123Z"}""";
    private readonly MockServer _mock = new();

    public void Dispose() => _mock.Dispose();

    [Fact]
    public async Task Track_posts_the_payload_with_a_client_id_user_and_stamped_service()
    {
        Respond("/api/events/track/user-login", "POST", 200, TrackResponse);
        var client = _mock.Client(o => o.ServiceName = "user-service");

        var response = await client.SendEventAsync("user-login", new AIEventPayload { StatusCode = 200, Metadata = new JsonObject { ["k"] = 1 } }, userId: "user-123");

        var request = Assert.Single(_mock.Requests).RequestMessage;
        Assert.Equal("user-123", request.Headers!["X-User-Id"].Single());
        Assert.Equal(7, Guid.Parse(request.Headers["Idempotency-Key"].Single()).Version);
        Assert.Equal("application/json", request.Headers["Content-Type"].Single().Split(';')[0]);
        var body = JsonNode.Parse(request.Body!)!;
        Assert.Equal("user-service", body["serviceName"]!.GetValue<string>());
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal(1, body["metadata"]!["k"]!.GetValue<int>());
        Assert.Equal("evt-1", response.EventId);
        Assert.Equal(new DateTimeOffset(2025, 8, 27, 10, 30, 45, 123, TimeSpan.Zero), response.Timestamp);
        Assert.Equal("sug-1", Assert.Single(response.Suggestions).Id);
    }

    [Fact]
    public async Task Event_names_are_escaped_in_the_path()
    {
        _mock.Server.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/api/events/track/*")).UsingPost())
            .RespondWith(Json(200, TrackResponse));

        await _mock.Client().SendEventAsync("checkout/step 2");

        // The slash stays escaped, so the name is one path segment (WireMock logs the space decoded).
        Assert.Contains("/api/events/track/checkout%2Fstep", Assert.Single(_mock.Requests).RequestMessage.AbsoluteUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_is_sent_with_a_batch_id_and_event_ids_and_the_callers_batch_is_left_as_it_was()
    {
        Respond("/api/events/track/batch", "POST", 200, BatchResponse);
        var batch = new BatchTrackEventRequest
        {
            Events = [new BatchTrackEventItem { EventName = "a" }, new BatchTrackEventItem { EventName = "b", EventId = "mine" }],
        };

        var response = await _mock.Client(o => o.ServiceName = "svc").SendBatchAsync(batch);

        var body = JsonNode.Parse(Assert.Single(_mock.Requests).RequestMessage.Body!)!;
        Assert.StartsWith("batch-", body["batchId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(7, Guid.Parse(body["events"]![0]!["eventId"]!.GetValue<string>()).Version);
        Assert.Equal("mine", body["events"]![1]!["eventId"]!.GetValue<string>());
        Assert.Equal("svc", body["events"]![1]!["payload"]!["serviceName"]!.GetValue<string>());
        Assert.Equal(2, response.ProcessedCount);
        Assert.Null(batch.BatchId);
        Assert.Null(batch.Events[0].EventId);
        Assert.Null(batch.Events[0].Payload);
    }

    [Fact]
    public async Task Tracking_never_writes_to_the_callers_payload_or_options()
    {
        Respond("/api/events/track/single", "POST", 200, TrackResponse);
        Respond("/api/events/track/batch", "POST", 200, BatchResponse);
        var options = new EventTrackerClientOptions { ServiceName = "svc" };
        var client = new EventTrackerClient(_mock.BaseAddress, options);
        var payload = new AIEventPayload { StatusCode = 200 };
        using var activity = new System.Diagnostics.Activity("request").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();

        await client.SendEventAsync("single", payload, userId: "u-1");
        await client.SendBatchAsync(new BatchTrackEventRequest { Events = [new BatchTrackEventItem { EventName = "b", Payload = payload }] });
        await using (var tracker = new BackgroundEventTracker(client))
        {
            tracker.Track("queued", payload, userId: "u-2");
        }

        Assert.Null(payload.ServiceName);
        Assert.Null(payload.CorrelationId);
        Assert.Null(payload.AdditionalProperties);
        Assert.Equal(new EventTrackerClientOptions().BaseAddress, options.BaseAddress);
        var sent = _mock.Requests.Select(r => JsonNode.Parse(r.RequestMessage.Body!)!).ToList();
        Assert.Equal(3, sent.Count);
        Assert.All(sent.Select(body => body["events"]?[0]!["payload"] ?? body), p =>
        {
            Assert.Equal("svc", (string?)p!["serviceName"]);
            Assert.Equal(activity.TraceId.ToHexString(), (string?)p["correlationId"]);
        });
    }

    [Theory]
    [InlineData(400, true, "gzip")]
    [InlineData(10, true, null)]
    [InlineData(400, false, null)]
    public async Task Batches_above_the_threshold_are_sent_gzip_compressed_unless_turned_off(int events, bool compress, string? expectedEncoding)
    {
        Respond("/api/events/track/batch", "POST", 200, BatchResponse);
        var batch = new BatchTrackEventRequest
        {
            Events = Enumerable.Range(0, events).Select(i => new BatchTrackEventItem { EventName = "page-view-" + i }).ToList(),
        };

        await _mock.Client(o => o.CompressBatches = compress).SendBatchAsync(batch);

        var request = Assert.Single(_mock.Requests).RequestMessage;
        var encoding = request.Headers!.TryGetValue("Content-Encoding", out var values) ? values.Single() : null;
        Assert.Equal(expectedEncoding, encoding);
        Assert.Equal(events, JsonNode.Parse(request.Body!)!["events"]!.AsArray().Count); // WireMock inflates what it receives
    }

    [Fact]
    public async Task Get_events_sends_every_query_parameter()
    {
        Respond("/api/events", "GET", 200, """{"events":[{"id":"e1","name":"n","userId":null,"serviceName":"s","payload":{"statusCode":500},"timestamp":1}],"total":9,"filtered":1,"services":["s"],"timeRange":{"from":"2025-08-27T00:00:00.000Z","to":"2025-08-28T00:00:00.000Z"},"nextCursor":"c2"}""");
        var query = new EventQuery
        {
            ServiceName = "payment-service",
            EventName = "charge",
            Type = "char",
            UserId = "u 1",
            CorrelationId = "c",
            SessionId = "s",
            From = new DateTimeOffset(2025, 8, 27, 2, 0, 0, TimeSpan.FromHours(2)),
            To = new DateTimeOffset(2025, 8, 28, 0, 0, 0, TimeSpan.Zero),
            Limit = 50,
            Cursor = "c1",
        };

        var response = await _mock.Client().GetEventsPageAsync(query);

        var request = Assert.Single(_mock.Requests).RequestMessage;
        Assert.Equal(
            "?serviceName=payment-service&eventName=charge&type=char&userId=u%201&correlationId=c&sessionId=s&from=2025-08-27T00%3A00%3A00.000Z&to=2025-08-28T00%3A00%3A00.000Z&limit=50&cursor=c1",
            request.RawQuery);
        Assert.Equal(9, response.Total);
        Assert.Equal(500, response.Events[0].Payload.StatusCode);
        Assert.Equal("c2", response.NextCursor);
    }

    [Fact]
    public async Task Errors_only_and_a_status_class_reach_the_server_as_query_parameters()
    {
        Respond("/api/events", "GET", 200, """{"events":[],"total":0,"filtered":0,"services":[],"timeRange":{"from":"2025-08-27T00:00:00.000Z","to":"2025-08-28T00:00:00.000Z"}}""");

        await _mock.Client().GetEventsPageAsync(new EventQuery { ErrorsOnly = true, StatusClass = 5 });

        Assert.Equal("?errorsOnly=true&statusClass=5xx", Assert.Single(_mock.Requests).RequestMessage.RawQuery);
    }

    [Fact]
    public async Task A_correlation_trace_is_asked_for_by_its_id()
    {
        Respond("/api/events/trace/req-1", "GET", 200, """{"correlationId":"req-1","steps":[{"stepNumber":1,"sinceStartMs":0,"gapMs":0,"isError":true,"event":{"id":"evt-1","name":"api-error","userId":null,"serviceName":"api","payload":{"statusCode":502},"timestamp":1}}],"durationMs":0,"services":["api"],"failingStep":1,"truncated":false}""");

        var trace = await _mock.Client().GetCorrelationTraceAsync("req-1");

        Assert.Equal(("req-1", 1, 502), (trace.CorrelationId, trace.FailingStep, Assert.Single(trace.Steps).Event.Payload.StatusCode));
    }

    [Fact]
    public async Task Query_all_events_follows_the_cursor_to_the_end()
    {
        RespondPage(cursor: null, ids: ["e5", "e4"], next: "c1");
        RespondPage(cursor: "c1", ids: ["e3", "e2"], next: "c2");
        RespondPage(cursor: "c2", ids: ["e1"], next: null);

        var ids = new List<string>();
        await foreach (var storedEvent in _mock.Client().GetEventsAsync(new EventQuery { ServiceName = "s" }))
        {
            ids.Add(storedEvent.Id);
        }

        Assert.Equal(["e5", "e4", "e3", "e2", "e1"], ids);
        Assert.All(_mock.Requests, r => Assert.Contains("serviceName=s&limit=1000", r.RequestMessage.RawQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Analytics_methods_send_their_parameters_and_map_the_answers()
    {
        Respond("/api/events/services", "GET", 200, """{"services":[{"serviceName":"s","eventCount":3,"uniqueEvents":1,"avgResponseTime":12.5,"p95ResponseTime":20,"errorRate":33.3,"lastSeen":"2025-08-27T10:29:15Z","topEvents":[{"eventName":"a","count":3,"percentage":100}]}],"summary":{"totalServices":1,"totalEvents":3,"overallErrorRate":33.3}}""");
        Respond("/api/events/statistics", "GET", 200, """{"totalEventCount":3,"totalUniqueEvents":1,"totalServices":1,"perDay":[{"date":"2025-08-27","count":3}],"topEvents":[],"serviceBreakdown":[]}""");
        Respond("/api/events/suggestions", "GET", 200, """{"suggestions":[{"id":"sug","title":"t","basedOn":{"eventPattern":"p","sampleSize":5,"confidence":0.2}}],"context":{"timeRange":"last-24h","totalEvents":5}}""");
        var client = _mock.Client();
        var since = new DateTimeOffset(2025, 8, 27, 0, 0, 0, TimeSpan.Zero);

        var services = await client.GetServicesAsync(since, serviceName: "s");
        var statistics = await client.GetStatisticsAsync(to: since);
        var suggestions = await client.GetSuggestionsAsync(serviceName: "s", eventName: "e", userId: "u", limit: 3);

        var queries = _mock.Requests.Select(r => r.RequestMessage.RawQuery).ToList();
        Assert.Equal("?from=2025-08-27T00%3A00%3A00.000Z&serviceName=s", queries[0]);
        Assert.Equal("?to=2025-08-27T00%3A00%3A00.000Z", queries[1]);
        Assert.Equal("?serviceName=s&eventName=e&userId=u&limit=3", queries[2]);
        Assert.Equal(20, services.Services[0].P95ResponseTime);
        Assert.Equal("2025-08-27", statistics.PerDay[0].Date);
        Assert.Equal(5, suggestions.Suggestions[0].BasedOn!.SampleSize);
    }

    [Fact]
    public async Task An_api_key_goes_with_every_request()
    {
        Respond("/api/events/statistics", "GET", 200, """{"totalEventCount":0,"totalUniqueEvents":0,"totalServices":0,"perDay":[],"topEvents":[],"serviceBreakdown":[]}""");

        await _mock.Client(o => o.ApiKey = "secret").GetStatisticsAsync();

        Assert.Equal("secret", Assert.Single(_mock.Requests).RequestMessage.Headers!["X-API-Key"].Single());
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(408)]
    public async Task Transient_failures_are_retried_with_the_same_idempotency_key(int status)
    {
        RespondInSequence("/api/events/track/a", "POST", (status, ""), (status, ""), (200, TrackResponse));

        var response = await _mock.Client().SendEventAsync("a");

        Assert.Equal("evt-1", response.EventId);
        Assert.Equal(3, _mock.Requests.Count);
        Assert.Single(_mock.Requests.Select(r => r.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task Retry_after_is_honoured_over_the_back_off()
    {
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/a").UsingPost()).InScenario("s").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"));
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/a").UsingPost()).InScenario("s").WhenStateIs("ok")
            .RespondWith(Json(200, TrackResponse));

        // The exponential back-off would wait ten minutes; the test only finishes in time if Retry-After (1 s) is used.
        var client = _mock.Client(o => { o.RetryDelay = TimeSpan.FromMinutes(10); o.TotalTimeout = TimeSpan.FromMinutes(30); });
        var response = await client.SendEventAsync("a").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("evt-1", response.EventId);
        var times = _mock.Requests.Select(r => r.RequestMessage.DateTime).ToList();
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.9), $"retried after {times[1] - times[0]}");
    }

    [Fact]
    public async Task A_bad_request_is_not_retried_and_throws_the_servers_problem()
    {
        Respond("/api/events/track/a", "POST", 400,
            """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"detail":"statusCode: Must be between 0 and 999.","errors":{"statusCode":["Must be between 0 and 999."]}}""",
            "application/problem+json");

        var error = await Assert.ThrowsAsync<EventTrackerException>(() => _mock.Client().SendEventAsync("a", new AIEventPayload { StatusCode = 5000 }));

        Assert.Single(_mock.Requests);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(400, error.Problem!.Status);
        Assert.Equal(["Must be between 0 and 999."], error.Problem.Errors!["statusCode"]);
        Assert.Contains("statusCode: Must be between 0 and 999.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        Respond("/api/events/track/a", "POST", 503, "");

        var error = await Assert.ThrowsAsync<EventTrackerException>(() => _mock.Client(o => o.MaxRetryAttempts = 2).SendEventAsync("a"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, _mock.Requests.Count);
    }

    private void Respond(string path, string method, int status, string body, string contentType = "application/json") =>
        _mock.Server.Given(Request.Create().WithPath(path).UsingMethod(method)).RespondWith(Json(status, body, contentType));

    private void RespondInSequence(string path, string method, params (int Status, string Body)[] responses)
    {
        for (var i = 0; i < responses.Length; i++)
        {
            var given = _mock.Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(path);
            if (i > 0)
            {
                given = given.WhenStateIs($"step{i}");
            }

            if (i < responses.Length - 1)
            {
                given = given.WillSetStateTo($"step{i + 1}");
            }

            given.RespondWith(Json(responses[i].Status, responses[i].Body));
        }
    }

    private void RespondPage(string? cursor, string[] ids, string? next)
    {
        var request = Request.Create().WithPath("/api/events").UsingGet();
        request = cursor is null ? request : request.WithParam("cursor", cursor);
        var events = string.Join(",", ids.Select(id => $$"""{"id":"{{id}}","name":"n","payload":{},"timestamp":1}"""));
        var nextJson = next is null ? "" : $",\"nextCursor\":\"{next}\"";
        _mock.Server.Given(request).AtPriority(cursor is null ? 10 : 1).RespondWith(Json(200,
            $$"""{"events":[{{events}}],"total":5,"filtered":5,"services":[],"timeRange":{"from":"2025-08-27T00:00:00Z","to":"2025-08-27T00:00:00Z"}{{nextJson}}}"""));
    }

    private static IResponseBuilder Json(int status, string body, string contentType = "application/json") =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body);
}
