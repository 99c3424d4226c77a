using System.Net;
using System.Text;
using System.Text.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

/// <summary>The SSE stream over a real Kestrel on 127.0.0.1.</summary>
public sealed class StreamTests
{
    private static readonly Dictionary<string, string?> QuietHeartbeat = new()
    {
        ["EventTracker:Streams:StatsInterval"] = "01:00:00",
        ["EventTracker:Streams:PingInterval"] = "01:00:00",
    };

    [Fact]
    public async Task A_reader_receives_events_tracked_after_it_connected_in_order_as_seed_style_envelopes()
    {
        await using var factory = new TestServerFactory(QuietHeartbeat, kestrel: true);
        using var client = factory.CreateClient();
        await using var reader = await SseReader.OpenAsync(client);

        for (var i = 0; i < 20; i++)
        {
            await client.TrackAsync("step-" + i, """{"serviceName":"web-analytics"}""");
        }

        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var (id, eventType, message) = await reader.NextAsync();
            Assert.Equal("message", eventType); // no event: field, so EventSource.onmessage receives it
            Assert.Equal("event", message.Type);
            Assert.Equal("step-" + i, message.Data.GetProperty("name").GetString());
            ids.Add(long.Parse(id!, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(ids.Order(), ids);
        Assert.Equal(20, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_filtered_reader_receives_only_matching_events()
    {
        await using var factory = new TestServerFactory(QuietHeartbeat, kestrel: true);
        using var client = factory.CreateClient();
        await using var reader = await SseReader.OpenAsync(client, "?serviceName=payment-service&type=CHECKOUT");

        await client.TrackAsync("checkout-started", """{"serviceName":"web-analytics"}""");
        await client.TrackAsync("page-view", """{"serviceName":"payment-service"}""");
        await client.TrackAsync("checkout-completed", """{"serviceName":"payment-service"}""");
        await client.TrackBatchAsync("""{"events":[{"eventName":"checkout-failed","payload":{"serviceName":"payment-service"}},{"eventName":"x"}]}""");

        Assert.Equal("checkout-completed", (await reader.NextEventAsync()).Event.Name);
        Assert.Equal("checkout-failed", (await reader.NextEventAsync()).Event.Name);
    }

    [Fact]
    public async Task A_reader_filtered_to_errors_of_a_status_class_receives_only_those()
    {
        await using var factory = new TestServerFactory(QuietHeartbeat, kestrel: true);
        using var client = factory.CreateClient();
        await using var reader = await SseReader.OpenAsync(client, "?errorsOnly=true&statusClass=5xx");

        await client.TrackAsync("api-request", """{"serviceName":"api","statusCode":200}""");
        await client.TrackAsync("api-request", """{"serviceName":"api","statusCode":404}""");
        await client.TrackAsync("payment-failed", """{"serviceName":"api"}""");
        await client.TrackAsync("upstream", """{"serviceName":"api","statusCode":502}""");
        await client.TrackAsync("api-request", """{"serviceName":"api","statusCode":503}""");

        Assert.Equal(502, (await reader.NextEventAsync()).Event.Payload.StatusCode);
        Assert.Equal(503, (await reader.NextEventAsync()).Event.Payload.StatusCode);
    }

    [Fact]
    public async Task A_reader_resuming_with_last_event_id_gets_exactly_what_it_missed()
    {
        await using var factory = new TestServerFactory(QuietHeartbeat, kestrel: true);
        using var client = factory.CreateClient();
        string lastSeen;
        await using (var first = await SseReader.OpenAsync(client, "?serviceName=svc"))
        {
            for (var i = 0; i < 5; i++)
            {
                await client.TrackAsync("before-" + i, """{"serviceName":"svc"}""");
            }

            for (var i = 0; i < 4; i++)
            {
                await first.NextEventAsync();
            }

            lastSeen = (await first.NextEventAsync()).Id;
        }

        for (var i = 0; i < 5; i++)
        {
            await client.TrackAsync("missed-" + i, """{"serviceName":"svc"}""");
            await client.TrackAsync("other-service", """{"serviceName":"elsewhere"}""");
        }

        await using var resumed = await SseReader.OpenAsync(client, "?serviceName=svc", lastEventId: lastSeen);
        await using var byQuery = await SseReader.OpenAsync(client, $"?serviceName=svc&lastEventId={lastSeen}");
        await client.TrackAsync("live", """{"serviceName":"svc"}""");

        foreach (var reader in new[] { resumed, byQuery })
        {
            var names = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                names.Add((await reader.NextEventAsync()).Event.Name);
            }

            Assert.Equal(["missed-0", "missed-1", "missed-2", "missed-3", "missed-4", "live"], names);
        }
    }

    [Fact]
    public async Task A_reader_that_stops_reading_never_blocks_ingestion_and_is_told_how_many_it_missed()
    {
        const int total = 100_000, batchSize = 1000;
        var settings = new Dictionary<string, string?>(QuietHeartbeat) { ["EventTracker:Streams:SubscriberQueueSize"] = "500" };
        await using var factory = new TestServerFactory(settings, kestrel: true);
        using var client = factory.CreateClient();
        await using var stalled = await SseReader.OpenAsync(client);

        for (var b = 0; b < total / batchSize; b++)
        {
            var events = string.Join(",", Enumerable.Range(0, batchSize).Select(i => $$"""{"eventName":"bulk","eventId":"e{{b * batchSize + i}}"}"""));
            await client.TrackBatchAsync($$"""{"events":[{{events}}]}""");
        }

        Assert.Equal(total, (await client.GetEventsAsync("?limit=1")).Total);
        long received = 0, dropped = 0, droppedNotices = 0;
        while (received + dropped < total)
        {
            var (_, _, message) = await stalled.NextAsync();
            if (message.Type == StreamMessageTypes.Event)
            {
                received++;
            }
            else if (message.Type == StreamMessageTypes.Dropped)
            {
                dropped += message.Data.Deserialize(EventTrackerJsonContext.Default.DroppedNotice)!.Count;
                droppedNotices++;
            }
        }

        Assert.Equal(total, received + dropped);
        Assert.True(droppedNotices > 0, "the stalled reader was never told it missed messages");
        Assert.True(dropped > total / 2, $"only {dropped} dropped: the reader was not stalled");
    }

    [Fact]
    public async Task Stats_and_pings_arrive_on_their_intervals()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new TestServerFactory(time: time, kestrel: true);
        using var client = factory.CreateClient();
        await client.TrackAsync("counted", """{"serviceName":"svc","statusCode":500,"responseTimeMs":40}""");
        await using var reader = await SseReader.OpenAsync(client);

        time.Advance(TimeSpan.FromSeconds(5));
        var (_, _, stats) = await reader.NextAsync();
        time.Advance(TimeSpan.FromSeconds(10)); // stats at 10 s and 15 s, the first ping at 15 s
        var types = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            types.Add((await reader.NextAsync()).Message.Type);
        }

        Assert.Equal("stats", stats.Type);
        var data = stats.Data.Deserialize(EventTrackerJsonContext.Default.StreamStats)!;
        Assert.Equal(1, data.TotalEvents);
        Assert.Equal(1, data.EventsLastMinute);
        Assert.Equal(100, data.ErrorRateLastMinute);
        Assert.Equal(40, data.AvgResponseTimeLastMinute);
        Assert.Equal(1, data.Subscribers);
        Assert.Equal(["ping", "stats", "stats"], types.Order());
    }

    [Fact]
    public async Task Connections_beyond_the_limit_get_429_problem_details()
    {
        var settings = new Dictionary<string, string?>(QuietHeartbeat) { ["EventTracker:Streams:MaxConnections"] = "1" };
        await using var factory = new TestServerFactory(settings, kestrel: true);
        using var client = factory.CreateClient();
        await using var first = await SseReader.OpenAsync(client);

        using var second = await client.GetAsync(EventTrackerRoutes.Stream, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("\"connections\"", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_stream_parameters_get_problem_details()
    {
        await using var factory = new TestServerFactory(QuietHeartbeat, kestrel: true);
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, EventTrackerRoutes.Stream);
        request.Headers.Add("Last-Event-ID", "yesterday");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"Last-Event-ID\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_end_cleanly_when_the_server_stops()
    {
        var factory = new TestServerFactory(QuietHeartbeat, kestrel: true);
        using var client = factory.CreateClient();
        await using var reader = await SseReader.OpenAsync(client);
        await client.TrackAsync("before-stop");
        await reader.NextEventAsync();

        var stopping = factory.DisposeAsync().AsTask();

        Assert.True(await reader.EndsWithinAsync(TimeSpan.FromSeconds(10)));
        await stopping;
    }
}
