using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventTracker.Client.Tests;

public sealed class BackgroundEventTrackerTests : IDisposable
{
    private const string Accepted = """{"success":true,"processedCount":1,"suggestions":[],"batchId":"b","timestamp":"2025-08-27T10:30:45.123Z"}""";
    private readonly MockServer _mock = new();

    public BackgroundEventTrackerTests() => RespondToBatches(200);

    public void Dispose() => _mock.Dispose();

    [Fact]
    public async Task Batches_are_cut_by_count_and_keep_order_and_ids()
    {
        await using var tracker = Tracker(o => { o.MaxBatchSize = 10; o.FlushInterval = TimeSpan.FromHours(1); });
        for (var i = 0; i < 25; i++)
        {
            tracker.Track("e" + i, new AIEventPayload { ServiceName = "svc" });
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var batches = Batches();
        Assert.Equal([10, 10, 5], batches.Select(b => b["events"]!.AsArray().Count));
        var events = batches.SelectMany(b => b["events"]!.AsArray()).ToList();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => "e" + i), events.Select(e => e!["eventName"]!.GetValue<string>()));
        Assert.Equal(25, events.Select(e => e!["eventId"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(3, batches.Select(b => b["batchId"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(25, tracker.SentCount);
    }

    [Fact]
    public async Task Track_allocates_nothing_on_the_callers_thread()
    {
        await using var tracker = Tracker(o => o.FlushInterval = TimeSpan.FromHours(1));
        var payload = new AIEventPayload { ServiceName = "svc" };
        for (var i = 0; i < 2000; i++)
        {
            tracker.Track("warm-up", payload); // grows the queue's buffer once
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            tracker.Track("page-view", payload);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task A_partial_batch_goes_out_when_the_interval_passes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var tracker = Tracker(o => o.FlushInterval = TimeSpan.FromSeconds(1), time);
        tracker.Track("a");
        tracker.Track("b");
        tracker.Track("c");
        await Task.Delay(300);
        var before = _mock.Requests.Count;

        time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntil(() => _mock.Requests.Count == 1);

        Assert.Equal(0, before);
        Assert.Equal(3, Batches()[0]["events"]!.AsArray().Count);
    }

    [Fact]
    public async Task Each_event_keeps_the_time_it_was_tracked_and_each_attempt_says_when_it_was_sent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var tracker = Tracker(o => o.FlushInterval = TimeSpan.FromHours(1), time);
        tracker.Track("early");
        time.Advance(TimeSpan.FromSeconds(30));
        tracker.Track("later", new AIEventPayload { AdditionalProperties = new() { ["timestamp"] = System.Text.Json.JsonSerializer.SerializeToElement(1234L) } });
        time.Advance(TimeSpan.FromSeconds(45));

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var batch = Assert.Single(Batches());
        var events = batch["events"]!.AsArray();
        Assert.Equal(time.Start.ToUnixTimeMilliseconds(), events[0]!["payload"]!["timestamp"]!.GetValue<long>());
        Assert.Equal(1234L, events[1]!["payload"]!["timestamp"]!.GetValue<long>()); // the caller's own time wins
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), batch["sentAt"]!.GetValue<long>());
    }

    [Fact]
    public async Task Events_tracked_in_a_trace_carry_its_trace_id_unless_they_have_a_correlation_id()
    {
        await using var tracker = Tracker(o => o.FlushInterval = TimeSpan.FromHours(1));
        using (var activity = new System.Diagnostics.Activity("checkout").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start())
        {
            tracker.Track("in-trace");
            tracker.Track("own-id", new AIEventPayload { CorrelationId = "req-1" });
            await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

            var events = Batches().SelectMany(b => b["events"]!.AsArray()).ToList();
            Assert.Equal(activity.TraceId.ToHexString(), events[0]!["payload"]!["correlationId"]!.GetValue<string>());
            Assert.Equal("req-1", events[1]!["payload"]!["correlationId"]!.GetValue<string>());
        }

        tracker.Track("outside");
        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(Batches()[^1]["events"]![0]!["payload"]!["correlationId"]);
    }

    [Fact]
    public async Task Stopping_within_a_deadline_gives_up_what_is_undelivered_with_one_warning_and_no_errors()
    {
        _mock.Server.Reset();
        RespondToBatches(503);
        var logger = new ListLogger<BackgroundEventTracker>();
        var tracker = new BackgroundEventTracker(_mock.Client(o => { o.MaxRetryAttempts = 0; o.MaxBatchSize = 10; }), logger);
        for (var i = 0; i < 100; i++)
        {
            tracker.Track("during-outage");
        }

        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await tracker.StopAsync(shutdown.Token).WaitAsync(TimeSpan.FromSeconds(20));
        await tracker.DisposeAsync();

        Assert.Equal((100L, 0L, 0L), (tracker.DroppedCount, tracker.SentCount, tracker.FailedCount));
        var entries = logger.Entries;
        Assert.DoesNotContain(entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Single(entries, e => e.Message.Contains("cannot deliver", StringComparison.Ordinal)); // once per outage
        Assert.Equal("EventTracker stopped before it could deliver 100 events; they are counted as dropped", Assert.Single(entries, e => e.Message.Contains("stopped", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public async Task An_outage_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        _mock.Server.Reset();
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).InScenario("outage").WillSetStateTo("down-1")
            .RespondWith(Response.Create().WithStatusCode(503));
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).InScenario("outage").WhenStateIs("down-1").WillSetStateTo("down-2")
            .RespondWith(Response.Create().WithStatusCode(503));
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).InScenario("outage").WhenStateIs("down-2").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).InScenario("outage").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Accepted));
        var logger = new ListLogger<BackgroundEventTracker>();
        await using var tracker = new BackgroundEventTracker(_mock.Client(o => o.ServiceName = "svc"), logger); // the default 3 request retries

        tracker.Track("a");
        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, tracker.SentCount);
        Assert.Equal(4, _mock.Requests.Count); // one request per attempt: the client's own retries are off for batches
        Assert.Equal(
            ["cannot deliver", "delivers again, after 3 failed attempts"],
            logger.Entries.Select(e => e.Message.Contains("cannot deliver", StringComparison.Ordinal) ? "cannot deliver" : e.Message["EventTracker ".Length..]));
    }

    [Fact]
    public async Task Batches_are_cut_by_bytes()
    {
        await using var tracker = Tracker(o => { o.MaxBatchBytes = 1024; o.FlushInterval = TimeSpan.FromHours(1); });
        for (var i = 0; i < 10; i++)
        {
            tracker.Track("e" + i, new AIEventPayload { Metadata = new JsonObject { ["blob"] = new string('x', 300) } });
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var batches = Batches();
        Assert.True(batches.Count >= 4, $"{batches.Count} batches");
        Assert.All(batches, b => Assert.InRange(b["events"]!.ToJsonString().Length, 1, 1024));
        Assert.Equal(10, batches.Sum(b => b["events"]!.AsArray().Count));
    }

    [Theory]
    [InlineData(QueueFullPolicy.DropNewest)]
    [InlineData(QueueFullPolicy.DropOldest)]
    public async Task A_full_queue_drops_by_policy_and_counts_every_drop(QueueFullPolicy policy)
    {
        _mock.Server.Reset();
        RespondToBatches(200, delay: TimeSpan.FromMilliseconds(300));
        var droppedByMetric = 0L;
        await using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = metrics.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This tracker's meter only: trackers of tests running alongside publish under the same name.
            if (instrument.Meter.Scope == meterFactory && instrument.Meter.Name == BackgroundEventTracker.MeterName
                && instrument.Name == "eventtracker.client.events.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref droppedByMetric, value));
        listener.Start();
        await using var tracker = new BackgroundEventTracker(
            _mock.Client(o => { o.QueueCapacity = 10; o.MaxBatchSize = 5; o.QueueFullPolicy = policy; }), meterFactory: meterFactory);

        for (var i = 0; i < 100; i++)
        {
            tracker.Track("e" + i);
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var sentNames = Batches().SelectMany(b => b["events"]!.AsArray()).Select(e => e!["eventName"]!.GetValue<string>()).ToList();
        Assert.True(tracker.DroppedCount > 0);
        Assert.Equal(100, tracker.DroppedCount + tracker.SentCount);
        Assert.Equal(tracker.SentCount, sentNames.Count);
        Assert.Equal(tracker.DroppedCount, Interlocked.Read(ref droppedByMetric));
        Assert.Equal(policy == QueueFullPolicy.DropOldest, sentNames.Contains("e99"));
    }

    [Fact]
    public async Task Disposing_sends_what_is_queued()
    {
        var tracker = Tracker(o => o.FlushInterval = TimeSpan.FromHours(1));
        for (var i = 0; i < 5; i++)
        {
            tracker.Track("e" + i);
        }

        await tracker.DisposeAsync();

        Assert.Equal(5, Assert.Single(Batches())["events"]!.AsArray().Count);
        tracker.Track("after-dispose");
        Assert.Equal(1, tracker.DroppedCount);
    }

    [Fact]
    public async Task A_refused_batch_is_reported_and_counted_not_thrown()
    {
        _mock.Server.Reset();
        RespondToBatches(400);
        EventTrackerSendFailedEventArgs? failure = null;
        await using var tracker = Tracker();
        tracker.SendFailed += (_, e) => failure = e;

        tracker.Track("a");
        tracker.Track("b");
        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(_mock.Requests); // 400 is not retried
        Assert.Equal(2, tracker.FailedCount);
        Assert.Equal(2, failure!.EventCount);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, Assert.IsType<EventTrackerException>(failure.Exception).StatusCode);
    }

    [Fact]
    public async Task A_batch_the_server_cannot_take_yet_is_retried_with_the_same_ids()
    {
        _mock.Server.Reset();
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).InScenario("s").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).InScenario("s").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Accepted));
        await using var tracker = Tracker(o => o.MaxRetryAttempts = 0);

        tracker.Track("a");
        tracker.Track("b");
        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var bodies = Batches();
        Assert.Equal(2, bodies.Count);
        Assert.Equal(bodies[0]["batchId"]!.ToJsonString(), bodies[1]["batchId"]!.ToJsonString());
        Assert.Equal(bodies[0]["events"]!.ToJsonString(), bodies[1]["events"]!.ToJsonString()); // same ids, same event times
        Assert.True(bodies[1]["sentAt"]!.GetValue<long>() >= bodies[0]["sentAt"]!.GetValue<long>());
        Assert.Equal(2, tracker.SentCount);
        Assert.Equal(0, tracker.FailedCount);
    }

    [Fact]
    public async Task The_user_id_and_default_service_are_stamped_on_each_event()
    {
        await using var tracker = Tracker(o => o.ServiceName = "default-svc");

        tracker.Track("a", userId: "u-1");
        tracker.Track("b", new AIEventPayload { ServiceName = "own" });
        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var events = Batches().SelectMany(b => b["events"]!.AsArray()).ToList();
        Assert.Equal("u-1", events[0]!["payload"]!["userId"]!.GetValue<string>());
        Assert.Equal("default-svc", events[0]!["payload"]!["serviceName"]!.GetValue<string>());
        Assert.Equal("own", events[1]!["payload"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_payloads_own_time_and_fields_are_kept_and_the_tracked_user_replaces_its_user_id_once()
    {
        await using var tracker = Tracker(o => o.ServiceName = "default-svc");
        var payload = System.Text.Json.JsonSerializer.Deserialize(
            """{"serviceName":"own","timestamp":1700000000000,"userId":"payload-user","plan":"pro","metadata":{"a":1}}""",
            EventTrackerJsonContext.Default.AIEventPayload)!;

        tracker.Track("own-fields", payload, userId: "tracked-user");
        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var body = Assert.Single(_mock.Requests).RequestMessage.Body!;
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(body, "\"userId\""));
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(body, "\"timestamp\""));
        var sent = JsonNode.Parse(body)!["events"]![0]!["payload"]!;
        Assert.Equal("tracked-user", (string?)sent["userId"]);
        Assert.Equal(1700000000000, (long?)sent["timestamp"]);
        Assert.Equal("own", (string?)sent["serviceName"]);
        Assert.Equal("pro", (string?)sent["plan"]);
        Assert.Equal(1, (int?)sent["metadata"]!["a"]);
        Assert.Equal("payload-user", payload.AdditionalProperties!["userId"].GetString()); // the caller's payload is as it was
    }

    private BackgroundEventTracker Tracker(Action<EventTrackerClientOptions>? configure = null, TimeProvider? time = null) =>
        new(_mock.Client(configure), timeProvider: time);

    private void RespondToBatches(int status, TimeSpan? delay = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
            .WithBody(status == 200 ? Accepted : """{"title":"Bad","status":400,"errors":{"events[0].eventName":["x"]}}""");
        if (delay is { } d)
        {
            response = response.WithDelay(d);
        }

        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).RespondWith(response);
    }

    private List<JsonNode> Batches() => _mock.Requests.Select(r => JsonNode.Parse(r.RequestMessage.Body!)!).ToList();

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
