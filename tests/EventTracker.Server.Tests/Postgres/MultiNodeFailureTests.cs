using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using EventTracker.Client;
using EventTracker.Contracts;
using EventTracker.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// Two server processes over one PostgreSQL database while things break: a node killed with SIGKILL under load, and
/// the database restarted under load. What a node acknowledged is stored, once, whatever happens after.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MultiNodeFailureTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const int Senders = 6;
    private const int AcknowledgedBeforeKill = 150;

    [Fact]
    public async Task Kill_9_of_A_under_load_loses_no_acknowledged_event_and_retries_on_B_store_each_event_once()
    {
        await using var nodes = await TwoNodes.StartAsync(cluster, output);
        using var b = nodes.B.CreateClient();
        var run = Guid.NewGuid().ToString("N")[..8];

        // A reader of A's stream, which will have to go on from B.
        var streamedOnA = new ConcurrentQueue<(long Id, string CorrelationId)>();
        var streamA = TwoNodes.StreamClient(nodes.A);
        var readerA = await SseReader.OpenAsync(streamA);
        var reading = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var (id, storedEvent) = await readerA.NextEventAsync();
                    streamedOnA.Enqueue((long.Parse(id, CultureInfo.InvariantCulture), storedEvent.Payload.CorrelationId!));
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException or XunitException or OperationCanceledException)
            {
                // A is gone.
            }
        });

        // Senders post single events and batches to A, each with its client ids, until A stops answering.
        var requests = new ConcurrentBag<LoadRequest>();
        var sending = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            using var a = nodes.A.CreateClient();
            for (var number = 0; ; number++)
            {
                var request = new LoadRequest(run, sender, number, isBatch: number % 3 == 0);
                requests.Add(request);
                if (!await request.SendAsync(a))
                {
                    return;
                }
            }
        })).ToArray();

        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (requests.Count(r => r.Acknowledged) < AcknowledgedBeforeKill)
            {
                Assert.False(sending.Any(s => s.IsCompleted), "a sender stopped before A was killed: " + string.Join("; ", requests.Where(r => r.Failure is not null).Select(r => r.Failure)));
                await Task.Delay(20, deadline.Token);
            }
        }

        await nodes.A.KillAsync();
        await Task.WhenAll(sending).WaitAsync(TimeSpan.FromSeconds(60));
        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        await readerA.DisposeAsync();
        streamA.Dispose();

        var acknowledged = requests.Where(r => r.Acknowledged).ToList();
        var unacknowledged = requests.Where(r => !r.Acknowledged).ToList();
        var before = await StoredByCorrelationAsync(b);
        output.WriteLine($"Killed A after {acknowledged.Count} acknowledged requests ({acknowledged.Sum(r => r.Ids.Count)} events); "
            + $"{unacknowledged.Count} requests unanswered, of which {unacknowledged.Count(r => r.Ids.All(before.ContainsKey))} were stored all the same; "
            + $"{streamedOnA.Count} events streamed by A.");

        // Every event A acknowledged is in the database, once, under the id A answered with; nothing is there twice.
        Assert.All(acknowledged.SelectMany(r => r.Ids), id => Assert.Single(before.GetValueOrDefault(id) ?? []));
        Assert.All(acknowledged.Where(r => !r.IsBatch), r => Assert.Equal(r.EventId, before[r.Ids[0]].Single()));
        Assert.All(before, stored => Assert.Single(stored.Value));

        // The unanswered requests, retried on B with the same ids, are taken; a sample of the answered ones is replayed.
        foreach (var request in unacknowledged.Concat(acknowledged.Where((_, i) => i % 10 == 0)))
        {
            Assert.True(await request.RetryAsync(b), $"retrying {request} on B: {request.Failure}");
        }

        var after = await StoredByCorrelationAsync(b);
        var everyId = requests.SelectMany(r => r.Ids).ToList();
        Assert.All(everyId, id => Assert.Single(after.GetValueOrDefault(id) ?? []));
        Assert.Equal(everyId.Count, after.Count);
        Assert.All(after, stored => Assert.Single(stored.Value));

        // The reader goes on from B with the last id A gave it: every later event, in order, none twice; and what it
        // read from A is stored under the ids it was streamed with.
        var streamed = streamedOnA.ToList();
        Assert.NotEmpty(streamed);
        Assert.All(streamed, s => Assert.Equal("evt-" + s.Id, after[s.CorrelationId].Single()));
        var lastId = streamed[^1].Id;
        var expected = after.Values.Select(ids => long.Parse(ids.Single()["evt-".Length..], CultureInfo.InvariantCulture)).Where(id => id > lastId).Order().ToList();
        using var streamB = TwoNodes.StreamClient(nodes.B);
        await using var readerB = await SseReader.OpenAsync(streamB, lastEventId: lastId.ToString(CultureInfo.InvariantCulture));
        var resumed = new List<long>();
        while (resumed.Count < expected.Count)
        {
            resumed.Add(long.Parse((await readerB.NextEventAsync()).Id, CultureInfo.InvariantCulture));
        }

        Assert.Equal(expected, resumed);
    }

    [Fact]
    public async Task Restarting_PostgreSQL_under_load_loses_nothing_the_SDK_tracked_and_stores_each_event_once()
    {
        const int Events = 2000;
        await using var nodes = await TwoNodes.StartAsync(cluster, output);
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();

        // The SDK's defaults ride through a few seconds without the database: each request is retried 3 times,
        // honouring the server's Retry-After (2 s), and the background tracker then keeps retrying a batch, with the
        // same batch and event ids, for BatchRetryTimeout (5 minutes). So the tracker is configured as a user would,
        // with only its address and service name. (A 2 s outage is ridden through by the request's own retries, so the
        // tracker usually logs nothing; its log is printed.)
        var client = new EventTrackerClient(nodes.A.BaseAddress, new EventTrackerClientOptions { ServiceName = "restart" });
        var trackerLog = new RecordingLogger();
        var tracker = new BackgroundEventTracker(client, trackerLog);
        var givenUp = new ConcurrentBag<EventTrackerSendFailedEventArgs>();
        tracker.SendFailed += (_, e) => givenUp.Add(e);

        // A reader of B's stream stays connected throughout.
        using var streamClient = TwoNodes.StreamClient(nodes.B);
        await using var stream = await SseReader.OpenAsync(streamClient, "?serviceName=restart");

        var tracking = Task.Run(async () =>
        {
            for (var i = 0; i < Events; i++)
            {
                tracker.Track("checkout-step", new AIEventPayload { CorrelationId = $"pg-{i}", StatusCode = 200, ResponseTimeMs = i % 50 });
                if (i % 10 == 9)
                {
                    await Task.Delay(25); // about 400 events a second, for 5 seconds
                }
            }
        });

        var stopped = false;
        var sentWhenStopped = -1L;
        HttpStatusCode refusedStatus;
        string? retryAfter;
        (HttpStatusCode Status, string Body) health;
        HttpStatusCode readStatus;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            sentWhenStopped = tracker.SentCount;
            await Task.Run(cluster.Stop);
            stopped = true;

            // While the database is down: an event sent by hand is refused with 503 and Retry-After, and /healthz answers.
            using (var refused = await a.PostAsync(EventTrackerRoutes.TrackPath("probe"), new StringContent("""{"serviceName":"probe"}""", Encoding.UTF8, "application/json")))
            {
                refusedStatus = refused.StatusCode;
                retryAfter = refused.Headers.RetryAfter?.ToString();
            }

            using (var healthz = await a.GetAsync(EventTrackerRoutes.Health))
            {
                health = (healthz.StatusCode, await healthz.Content.ReadAsStringAsync());
            }

            using (var read = await a.GetAsync(EventTrackerRoutes.Events + "?limit=1"))
            {
                readStatus = read.StatusCode;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            if (stopped)
            {
                await Task.Run(cluster.Start);
            }
        }

        output.WriteLine($"While PostgreSQL was down: POST answered {(int)refusedStatus} (Retry-After: {retryAfter ?? "none"}); /healthz answered {(int)health.Status} \"{health.Body}\"; GET /api/events answered {(int)readStatus}.");
        await tracking;
        using (var flushing = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            await tracker.FlushAsync(flushing.Token);
        }

        var refusedGroups = nodes.A.Output.Split('\n').Count(line => line.Contains("appends to the database failed", StringComparison.Ordinal));
        output.WriteLine($"The tracker had sent {sentWhenStopped} when the database stopped; A refused {refusedGroups} groups of appends.");
        output.WriteLine($"The tracker sent {tracker.SentCount}, dropped {tracker.DroppedCount}, gave up {tracker.FailedCount}; it logged {trackerLog.Messages.Count} messages:");
        foreach (var message in trackerLog.Messages)
        {
            output.WriteLine("  " + message);
        }

        await tracker.DisposeAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedStatus);
        Assert.NotNull(retryAfter);
        Assert.Empty(givenUp);
        Assert.True(sentWhenStopped < Events, $"the tracker had sent all {Events} events before the database stopped");
        Assert.Equal((Events, 0L, 0L), (tracker.SentCount, tracker.DroppedCount, tracker.FailedCount));

        // All of them are stored exactly once, and both nodes (whose followers lost the database too) count them.
        var stored = await StoredByCorrelationAsync(b, "?serviceName=restart");
        Assert.Equal(Enumerable.Range(0, Events).Select(i => $"pg-{i}").Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(stored, s => Assert.Single(s.Value));
        foreach (var node in new[] { a, b })
        {
            var services = await node.GetServicesAsync("?serviceName=restart");
            Assert.Equal(Events, Assert.Single(services.Services).EventCount);
        }

        // B's stream reader got each of them once, in order, across the restart.
        var streamedIds = new List<long>();
        var streamedCorrelations = new HashSet<string>(StringComparer.Ordinal);
        while (streamedIds.Count < Events)
        {
            var (id, storedEvent) = await stream.NextEventAsync();
            streamedIds.Add(long.Parse(id, CultureInfo.InvariantCulture));
            Assert.True(streamedCorrelations.Add(storedEvent.Payload.CorrelationId!), $"{storedEvent.Payload.CorrelationId} streamed twice");
        }

        Assert.Equal(streamedIds.Order(), streamedIds);
        Assert.Equal(stored.Values.Select(ids => long.Parse(ids.Single()["evt-".Length..], CultureInfo.InvariantCulture)).Order(), streamedIds);

        // /healthz answers while the database is down; what it says is reported above (it does not look at the database).
        Assert.True(health.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"/healthz answered {(int)health.Status}");
    }

    /// <summary>Every stored event (matching <paramref name="query"/>) by correlation id, as the event ids it is stored under, read through one node.</summary>
    private static async Task<Dictionary<string, List<string>>> StoredByCorrelationAsync(HttpClient client, string query = "?")
    {
        var stored = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await client.GetEventsAsync(query + "&limit=1000" + (cursor is null ? string.Empty : "&cursor=" + cursor));
            foreach (var storedEvent in page.Events)
            {
                var key = storedEvent.Payload.CorrelationId ?? "(none)";
                (stored.TryGetValue(key, out var ids) ? ids : stored[key] = []).Add(storedEvent.Id);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return stored;
    }

    /// <summary>The tracker's log messages, as a user's logging would show them.</summary>
    private sealed class RecordingLogger : ILogger<BackgroundEventTracker>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
