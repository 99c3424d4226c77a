using System.Text.Json.Nodes;
using EventTracker.Contracts;
using EventTracker.Server.Tests;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventTracker.Client.Tests;

/// <summary>Bursts kept whole at default settings, the queue's memory bound, and back-pressure under <see cref="QueueFullPolicy.Wait"/>.</summary>
public sealed class BackPressureTests : IDisposable
{
    private const string Accepted = """{"success":true,"processedCount":1,"suggestions":[],"batchId":"b","timestamp":"2025-08-27T10:30:45.123Z"}""";
    private readonly MockServer _mock = new();

    public void Dispose() => _mock.Dispose();

    [Fact]
    public async Task A_burst_of_20000_tracks_at_default_settings_is_stored_whole()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress);
        await using var tracker = new BackgroundEventTracker(client);

        for (var i = 0; i < 20_000; i++)
        {
            tracker.Track("burst", new AIEventPayload { ServiceName = "ai-job", ResponseTimeMs = i % 300 }, userId: "u-" + (i % 50));
        }

        await tracker.FlushAsync();

        Assert.Equal(0, tracker.DroppedCount);
        Assert.Equal(0, tracker.FailedCount);
        Assert.Equal(20_000, tracker.SentCount);
        Assert.Equal(20_000, (await client.GetEventsPageAsync(new EventQuery { ServiceName = "ai-job", Limit = 1 })).Filtered);
    }

    [Fact]
    public async Task Under_the_wait_policy_track_async_waits_for_a_slow_server_and_drops_nothing()
    {
        RespondSlowly();
        await using var tracker = Tracker(QueueFullPolicy.Wait);

        for (var i = 0; i < 60; i++)
        {
            await tracker.TrackAsync("e" + i).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, tracker.DroppedCount);
        Assert.Equal(60, tracker.SentCount);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => "e" + i), SentNames());
    }

    [Fact]
    public async Task The_same_load_without_waiting_drops_and_counts_what_does_not_fit()
    {
        RespondSlowly();
        await using var tracker = Tracker(QueueFullPolicy.DropNewest);

        for (var i = 0; i < 60; i++)
        {
            await tracker.TrackAsync("e" + i);
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(tracker.DroppedCount > 0);
        Assert.Equal(60, tracker.DroppedCount + tracker.SentCount);
        Assert.Equal(tracker.SentCount, SentNames().Count);
    }

    [Fact]
    public async Task Track_never_waits_even_under_the_wait_policy_and_counts_what_it_drops()
    {
        RespondSlowly();
        await using var tracker = Tracker(QueueFullPolicy.Wait);

        for (var i = 0; i < 60; i++)
        {
            tracker.Track("e" + i);
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(tracker.DroppedCount > 0);
        Assert.Equal(60, tracker.DroppedCount + tracker.SentCount);
    }

    [Fact]
    public async Task A_wait_for_room_can_be_cancelled_and_the_event_is_not_queued()
    {
        RespondSlowly(TimeSpan.FromSeconds(5));
        await using var tracker = Tracker(QueueFullPolicy.Wait, stopWithin: TimeSpan.FromSeconds(1));
        for (var i = 0; i < 5; i++)
        {
            await tracker.TrackAsync("fills-" + i);
        }

        await Task.Delay(200); // the first batch is in flight; the next fills the queue
        for (var i = 0; i < 5; i++)
        {
            await tracker.TrackAsync("queued-" + i);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tracker.TrackAsync("waits", cancellationToken: cancel.Token).AsTask());
        Assert.Equal(0, tracker.DroppedCount);
    }

    [Fact]
    public async Task The_queue_is_bounded_by_the_memory_its_events_hold()
    {
        RespondSlowly();
        await using var tracker = new BackgroundEventTracker(_mock.Client(o =>
        {
            o.MaxQueueBytes = 64 * 1024;
            o.FlushInterval = TimeSpan.FromMilliseconds(50);
        }));
        var large = new AIEventPayload { UserAgent = new string('a', 8 * 1024) }; // ~16 KiB of text each

        for (var i = 0; i < 20; i++)
        {
            tracker.Track("large", large);
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(tracker.DroppedCount, 10, 19); // four fit at once (and a few more as batches leave); the rest do not
        Assert.Equal(20, tracker.DroppedCount + tracker.SentCount);
    }

    [Fact]
    public void An_events_estimated_size_grows_with_its_text_and_properties()
    {
        var small = QueuedEvent.EstimateSize("e", null, null);
        var withText = QueuedEvent.EstimateSize("e", new AIEventPayload { UserAgent = new string('a', 1000) }, "user-1");
        var withMetadata = QueuedEvent.EstimateSize("e", new AIEventPayload { Metadata = new JsonObject { ["a"] = 1, ["b"] = 2 } }, null);

        Assert.True(small > 0);
        Assert.True(withText >= small + 2000);
        Assert.True(withMetadata > small);
    }

    private BackgroundEventTracker Tracker(QueueFullPolicy policy, TimeSpan? stopWithin = null) => new(_mock.Client(o =>
    {
        o.TotalTimeout = stopWithin ?? o.TotalTimeout;
        o.QueueCapacity = 5;
        o.MaxBatchSize = 5;
        o.FlushInterval = TimeSpan.FromMilliseconds(20);
        o.QueueFullPolicy = policy;
    }));

    private void RespondSlowly(TimeSpan? delay = null) =>
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Accepted)
                .WithDelay(delay ?? TimeSpan.FromMilliseconds(100)));

    private List<string> SentNames() => _mock.Requests
        .SelectMany(r => JsonNode.Parse(r.RequestMessage.Body!)!["events"]!.AsArray())
        .Select(e => e!["eventName"]!.GetValue<string>())
        .ToList();
}
