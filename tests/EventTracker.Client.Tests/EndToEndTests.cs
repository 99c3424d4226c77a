using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;
using EventTracker.Server.Tests;
using EventTracker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EventTracker.Client.Tests;

/// <summary>The client against the real server on 127.0.0.1.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Large_batches_go_compressed_and_the_server_stores_them_whole()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress, new EventTrackerClientOptions { MaxBatchSize = 500 });
        await using var tracker = new BackgroundEventTracker(client);

        var direct = await client.SendBatchAsync(new BatchTrackEventRequest
        {
            Events = Enumerable.Range(0, 300).Select(i => new BatchTrackEventItem { EventName = "bulk-" + i, Payload = new AIEventPayload { ServiceName = "bulk" } }).ToList(),
        });
        for (var i = 0; i < 400; i++)
        {
            tracker.Track("queued-" + i, new AIEventPayload { ServiceName = "queued" });
        }

        await tracker.FlushAsync();

        Assert.Equal(300, direct.ProcessedCount); // well over the 8 KiB threshold, so gzip-compressed
        Assert.Equal(400, (await client.GetEventsPageAsync(new EventQuery { ServiceName = "queued", Limit = 1 })).Filtered);
        Assert.Equal(0, tracker.DroppedCount + tracker.FailedCount);
    }

    [Fact]
    public async Task Every_method_works_against_the_server()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress, new EventTrackerClientOptions { ServiceName = "e2e" });

        var tracked = await client.SendEventAsync("user-login", new AIEventPayload { StatusCode = 200, ResponseTimeMs = 150 }, userId: "u-1");
        var batch = new BatchTrackEventRequest { BatchId = "named-batch", Events = [new() { EventName = "a" }, new() { EventName = "b" }] };
        var first = await client.SendBatchAsync(batch);
        var replay = await client.SendBatchAsync(batch);
        var page = await client.GetEventsPageAsync(new EventQuery { UserId = "u-1" });
        var services = await client.GetServicesAsync();
        var statistics = await client.GetStatisticsAsync(from: DateTimeOffset.UtcNow.AddHours(-1));
        var suggestions = await client.GetSuggestionsAsync(serviceName: "e2e");
        var series = await client.GetServiceTimeSeriesAsync("e2e", from: DateTimeOffset.UtcNow.AddHours(-1));
        var insights = await client.GetInsightsAsync(serviceName: "e2e", type: InsightTypes.Reliability, limit: 5);

        Assert.Equal(tracked.EventId, Assert.Single(page.Events).Id);
        Assert.Equal(2, first.ProcessedCount);
        Assert.Equal(first.BatchId, replay.BatchId);
        Assert.Equal(3, services.Summary.TotalEvents);
        Assert.Equal("e2e", Assert.Single(services.Services).ServiceName);
        Assert.Equal(3, statistics.TotalEventCount);
        Assert.Equal("e2e", suggestions.Context.ServiceName);
        Assert.Equal(3, series.Points.Sum(p => p.Count));
        Assert.Equal(60, series.BucketSeconds);
        Assert.Empty(insights.Insights); // three events are no basis for an insight
        var badType = await Assert.ThrowsAsync<EventTrackerException>(() => client.GetInsightsAsync(type: "weather"));
        Assert.True(badType.Problem!.Errors!.ContainsKey("type"));
        var error = await Assert.ThrowsAsync<EventTrackerException>(() => client.GetEventsPageAsync(new EventQuery { Limit = -1 }));
        Assert.Equal(["Must not be negative."], error.Problem!.Errors!["limit"]);
    }

    [Fact]
    public async Task Query_all_events_pages_through_everything()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress);
        for (var b = 0; b < 5; b++)
        {
            await client.SendBatchAsync(new BatchTrackEventRequest { Events = Enumerable.Range(0, 500).Select(i => new BatchTrackEventItem { EventName = $"e{b * 500 + i}" }).ToList() });
        }

        var names = new List<string>();
        await foreach (var storedEvent in client.GetEventsAsync())
        {
            names.Add(storedEvent.Name);
        }

        Assert.Equal(Enumerable.Range(0, 2500).Reverse().Select(i => $"e{i}"), names);
    }

    [Fact]
    public async Task The_web_socket_session_filters_tracks_and_pings()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress);
        await using var socket = await client.ConnectWebSocketAsync(new EventFilter { ServiceName = "payments" });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var messages = socket.ReceiveAllAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        await client.SendEventAsync("ignored", new AIEventPayload { ServiceName = "web" });
        await socket.SendEventAsync("charge", new AIEventPayload { ServiceName = "payments" });
        var received = new List<string>();
        while (received.Count < 2 && await messages.MoveNextAsync())
        {
            received.Add(messages.Current.Type);
        }

        await socket.SetFilterAsync(new EventFilter { Type = "refund" });
        await messages.MoveNextAsync();
        var filterAck = messages.Current;
        await socket.PingAsync();
        await messages.MoveNextAsync();

        Assert.Equal(["event", "track"], received.Order());
        Assert.Equal("refund", filterAck.Data.GetProperty("type").GetString());
        Assert.Equal("pong", messages.Current.Type);
    }

    [Fact]
    public async Task A_hundred_thousand_background_events_arrive_exactly_once()
    {
        const int total = 100_000;
        await using var server = new TestServerFactory(kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress, new EventTrackerClientOptions { QueueCapacity = total, MaxBatchSize = 500 });
        await using var tracker = new BackgroundEventTracker(client);

        for (var i = 0; i < total; i++)
        {
            tracker.Track("bulk", new AIEventPayload { CorrelationId = "c" + i });
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(total, tracker.SentCount);
        Assert.Equal(0, tracker.DroppedCount + tracker.FailedCount);
        Assert.Equal(total, (await client.GetEventsPageAsync(new EventQuery { Limit = 1 })).Total);
        Assert.Equal(1, (await client.GetEventsPageAsync(new EventQuery { CorrelationId = "c99999" })).Filtered);
    }

    [Fact]
    public async Task Background_events_throttled_by_the_servers_rate_limit_still_arrive_exactly_once()
    {
        const int total = 6000;
        await using var server = new TestServerFactory(
            new Dictionary<string, string?> { ["EventTracker:RateLimit:EventsPerSecond"] = "3000", ["EventTracker:RateLimit:EventBurst"] = "1000" },
            kestrel: true);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress, new EventTrackerClientOptions { QueueCapacity = total, MaxBatchSize = 500 });
        await using var tracker = new BackgroundEventTracker(client);

        for (var i = 0; i < total; i++)
        {
            tracker.Track("throttled", new AIEventPayload { CorrelationId = "t" + i });
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(total, tracker.SentCount);
        Assert.Equal(0, tracker.DroppedCount + tracker.FailedCount);
        var correlationIds = new HashSet<string>();
        await foreach (var storedEvent in client.GetEventsAsync())
        {
            Assert.True(correlationIds.Add(storedEvent.Payload.CorrelationId!), $"{storedEvent.Payload.CorrelationId} stored twice");
        }

        Assert.Equal(total, correlationIds.Count);
    }

    [Fact]
    public async Task Events_tracked_while_the_server_is_down_arrive_once_when_it_is_back()
    {
        using var data = new TemporaryDirectory();
        var port = LoopbackPorts.Free();
        var server = new TestServerFactory(data.Settings, kestrel: true, port: port);
        var client = new EventTrackerClient(
            server.ClientOptions.BaseAddress,
            new EventTrackerClientOptions { FlushInterval = TimeSpan.FromMilliseconds(100), RetryDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) });
        await using var tracker = new BackgroundEventTracker(client);
        var tracked = 0;

        for (; tracked < 500; tracked++)
        {
            tracker.Track("before", new AIEventPayload { CorrelationId = "c" + tracked });
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await server.DisposeAsync();
        for (var second = 0; second < 3; second++)
        {
            for (var i = 0; i < 300; i++, tracked++)
            {
                tracker.Track("during-outage", new AIEventPayload { CorrelationId = "c" + tracked });
            }

            await Task.Delay(1000);
        }

        await using var restarted = new TestServerFactory(data.Settings, kestrel: true, port: port);
        for (var i = 0; i < 200; i++, tracked++)
        {
            tracker.Track("after", new AIEventPayload { CorrelationId = "c" + tracked });
        }

        await tracker.FlushAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(tracked, tracker.SentCount);
        Assert.Equal(0, tracker.DroppedCount + tracker.FailedCount);
        Assert.Equal(tracked, restarted.Store.Count);
        var correlationIds = new HashSet<string>();
        await foreach (var storedEvent in client.GetEventsAsync())
        {
            Assert.True(correlationIds.Add(storedEvent.Payload.CorrelationId!), $"{storedEvent.Payload.CorrelationId} stored twice");
        }

        Assert.Equal(tracked, correlationIds.Count);
    }

    [Fact]
    public async Task The_stream_keeps_going_across_a_server_side_drop_without_gaps_or_repeats()
    {
        using var data = new TemporaryDirectory();
        var port = LoopbackPorts.Free();
        var server = new TestServerFactory(data.Settings, kestrel: true, port: port);
        var broadcaster = server.Services.GetRequiredService<EventBroadcaster>();
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress, new EventTrackerClientOptions { RetryDelay = TimeSpan.FromMilliseconds(100) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var names = new List<string>();

        // The reader owns its enumerator, so a failure below surfaces as itself, not as a dispose of a read in flight.
        var reading = Task.Run(async () =>
        {
            await foreach (var message in client.StreamAsync(new StreamFilter { ServiceName = "svc" }, cancel.Token))
            {
                if (message.Type == StreamMessageTypes.Event)
                {
                    lock (names)
                    {
                        names.Add(message.Data.GetProperty("name").GetString()!);
                        if (names.Count == 10)
                        {
                            return;
                        }
                    }
                }
            }
        });
        try
        {
            await WaitUntil(() => broadcaster.SubscriberCount == 1);
            for (var i = 0; i < 5; i++)
            {
                await client.SendEventAsync("e" + i, new AIEventPayload { ServiceName = "svc" });
            }

            await WaitUntil(() => Count(names) == 5);
            await server.DisposeAsync(); // drops the stream's connection
            await using var restarted = new TestServerFactory(data.Settings, kestrel: true, port: port);
            for (var i = 5; i < 10; i++)
            {
                await client.SendEventAsync("e" + i, new AIEventPayload { ServiceName = "svc" });
            }

            await reading.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await cancel.CancelAsync();
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => "e" + i), names);
    }

    private static int Count(List<string> names)
    {
        lock (names)
        {
            return names.Count;
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
