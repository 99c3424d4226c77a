using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Testing;
using Xunit.Sdk;

namespace EventTracker.Server.Tests.Storage;

/// <summary>The real server process killed with SIGKILL in the middle of ingestion, and started again over its data directory.</summary>
public sealed class CrashRecoveryTests
{
    private const int Senders = 4;
    private const int BatchSize = 20;

    [Fact]
    public async Task Every_acknowledged_event_survives_kill_9_once_with_its_id_and_a_stream_reader_resumes_without_gaps()
    {
        using var data = new TemporaryDirectory();
        var acknowledged = new ConcurrentBag<(string Body, int ProcessedCount)>();
        var streamed = new ConcurrentDictionary<string, long>(); // correlation id → stream id seen before the crash
        long lastStreamedId;

        await using (var server = await ServerProcess.StartAsync(dataDirectory: data.Path))
        {
            using var streamClient = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            var stream = await SseReader.OpenAsync(streamClient);
            var lastId = 0L;
            var reading = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var (id, storedEvent) = await stream.NextEventAsync();
                        lastId = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
                        streamed[storedEvent.Payload.CorrelationId!] = lastId;
                    }
                }
                catch (Exception e) when (e is IOException or HttpRequestException or XunitException or OperationCanceledException)
                {
                    // The server was killed.
                }
            });

            using var stop = new CancellationTokenSource();
            var sending = Enumerable.Range(0, Senders).Select(sender => Task.Run(() => SendUntilRefusedAsync(server, sender, acknowledged, stop.Token))).ToArray();
            // Under load for two seconds, and until enough is acknowledged to make the kill mean something (a busy test
            // machine may take longer).
            var loaded = System.Diagnostics.Stopwatch.StartNew();
            while (loaded.Elapsed < TimeSpan.FromSeconds(2) || (acknowledged.Count <= 50 && loaded.Elapsed < TimeSpan.FromSeconds(60)))
            {
                await Task.Delay(50);
            }

            await server.KillAsync();
            await Task.WhenAll(sending);
            await reading;
            await stream.DisposeAsync();
            lastStreamedId = lastId;
        }

        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} batches were acknowledged before the kill");
        await using var restarted = await ServerProcess.StartAsync(dataDirectory: data.Path);
        using var client = restarted.CreateClient();
        var stored = await AllEventsAsync(client);
        var byCorrelation = stored.GroupBy(e => e.Payload.CorrelationId!).ToDictionary(g => g.Key, g => g.ToList());

        // Every acknowledged event is there exactly once, under the id the live stream gave it before the crash.
        var acknowledgedIds = acknowledged.SelectMany(a => CorrelationIdsOf(a.Body)).ToList();
        Assert.All(acknowledgedIds, id => Assert.Single(byCorrelation.GetValueOrDefault(id) ?? []));
        Assert.All(streamed, s => Assert.Equal("evt-" + s.Value, Assert.Single(byCorrelation[s.Key]).Id));
        Assert.Equal(stored.Count, byCorrelation.Count);

        // Replaying every acknowledged batch stores nothing new.
        foreach (var (body, processedCount) in acknowledged)
        {
            using var replay = await client.PostAsync(EventTrackerRoutes.TrackBatch, new StringContent(body, Encoding.UTF8, "application/json"));
            var response = await replay.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventResponse);
            Assert.Equal(processedCount, response!.ProcessedCount);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        }

        Assert.Equal(stored.Count, (await AllEventsAsync(client)).Count);

        // A reader that resumes with its last id gets every later event, in order, none twice.
        using var resumeClient = new HttpClient { BaseAddress = restarted.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await using var resumed = await SseReader.OpenAsync(resumeClient, lastEventId: lastStreamedId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using (var after = await client.PostAsJsonAsync("/api/events/track/after-restart", new AIEventPayload { CorrelationId = "after-restart" }, EventTrackerJsonContext.Default.AIEventPayload))
        {
            after.EnsureSuccessStatusCode();
        }

        var expected = (await AllEventsAsync(client))
            .Select(e => long.Parse(e.Id["evt-".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .Where(id => id > lastStreamedId)
            .Order()
            .ToList();
        var received = new List<long>();
        while (received.Count < expected.Count)
        {
            var (id, _) = await resumed.NextEventAsync();
            received.Add(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(expected, received);
    }

    private static async Task SendUntilRefusedAsync(
        ServerProcess server, int sender, ConcurrentBag<(string Body, int ProcessedCount)> acknowledged, CancellationToken cancellationToken)
    {
        using var client = server.CreateClient();
        for (var batch = 0; !cancellationToken.IsCancellationRequested; batch++)
        {
            var body = BatchBody(sender, batch);
            try
            {
                using var response = await client.PostAsync(EventTrackerRoutes.TrackBatch, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return;
                }

                var answer = await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventResponse, cancellationToken);
                acknowledged.Add((body, answer!.ProcessedCount));
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                return;
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    private static string BatchBody(int sender, int batch)
    {
        var events = Enumerable.Range(0, BatchSize).Select(i =>
            $$$"""{"eventName":"load","eventId":"s{{{sender}}}-b{{{batch}}}-e{{{i}}}","payload":{"serviceName":"svc-{{{sender}}}","correlationId":"s{{{sender}}}-b{{{batch}}}-e{{{i}}}","responseTimeMs":12}}""");
        return $$"""{"batchId":"s{{sender}}-b{{batch}}","events":[{{string.Join(",", events)}}]}""";
    }

    private static IEnumerable<string> CorrelationIdsOf(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("payload").GetProperty("correlationId").GetString()!);

    private static async Task<List<StoredEvent>> AllEventsAsync(HttpClient client)
    {
        var events = new List<StoredEvent>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync(
                "/api/events?limit=1000" + (cursor is null ? string.Empty : "&cursor=" + cursor), EventTrackerJsonContext.Default.EventsResponse);
            events.AddRange(page!.Events);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return events;
    }
}
