using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using EventTracker.Server.Tests.Mcp;
using EventTracker.Testing;
using ModelContextProtocol.Client;
using Xunit.Abstractions;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// Two server processes over one PostgreSQL database, used as a user uses them (HTTP, SSE, MCP): what is tracked on
/// one node is streamed, queried and analysed on the other, the same way.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MultiNodeTests(PostgresCluster cluster, ITestOutputHelper output)
{
    private const int LatencySamples = 200;
    private const int WarmUp = 5;

    [Fact]
    public async Task An_event_tracked_on_A_reaches_a_stream_reader_on_B_within_a_second_and_B_answers_queries_with_it()
    {
        await using var nodes = await TwoNodes.StartAsync(cluster, output);
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();
        using var streamClient = TwoNodes.StreamClient(nodes.B);
        await using var stream = await SseReader.OpenAsync(streamClient);

        // One at a time: each event is sent to A once the previous one arrived on B. The first few only warm the JIT
        // and the connection pools of both processes, and are not measured.
        var latencies = new List<double>();
        var acks = new List<double>();
        for (var i = 0; i < WarmUp + LatencySamples; i++)
        {
            var correlationId = $"lat-{i}";
            var arrival = NextEventTimedAsync(stream);
            var sent = Stopwatch.GetTimestamp();
            var tracked = await a.TrackAsync("api-request", $$"""{"serviceName":"latency","correlationId":"{{correlationId}}","responseTimeMs":{{i}}}""");
            var acknowledged = Stopwatch.GetTimestamp();
            var (id, streamed, arrived) = await arrival;

            // B streams the event A stored, under the id A gave it, and then finds it when asked.
            Assert.Equal(correlationId, streamed.Payload.CorrelationId);
            Assert.Equal(tracked.EventId, streamed.Id);
            Assert.Equal(tracked.EventId, "evt-" + id);
            var found = await b.GetEventsAsync("?correlationId=" + correlationId);
            Assert.Equal(tracked.EventId, Assert.Single(found.Events).Id);
            if (i >= WarmUp)
            {
                latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
                acks.Add(Stopwatch.GetElapsedTime(sent, acknowledged).TotalMilliseconds);
            }
        }

        var all = await b.GetEventsAsync("?serviceName=latency&limit=1000");
        Assert.Equal(WarmUp + LatencySamples, all.Filtered);
        latencies.Sort();
        acks.Sort();
        output.WriteLine(FormattableString.Invariant(
            $"Tracked on A → streamed by B, {latencies.Count} events one at a time: p50 {Percentile(latencies, 50):0.0} ms, p90 {Percentile(latencies, 90):0.0} ms, p99 {Percentile(latencies, 99):0.0} ms, max {latencies[^1]:0.0} ms"));
        output.WriteLine(FormattableString.Invariant($"(A's acknowledgement of the POST: p50 {Percentile(acks, 50):0.0} ms, p99 {Percentile(acks, 99):0.0} ms)"));
        Assert.True(Percentile(latencies, 99) < 1000, FormattableString.Invariant($"p99 cross-node latency is {Percentile(latencies, 99):0} ms"));
    }

    [Fact]
    public async Task Every_analytics_endpoint_and_MCP_tool_answers_the_same_on_every_node()
    {
        await using var nodes = await TwoNodes.StartAsync(cluster, output);
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sent = await MultiNodeTraffic.SendAsync(a, b, now);

        // A node that joins after the traffic rebuilds its analytics from the database and must agree too.
        using var c = (await nodes.StartNodeAsync("C")).CreateClient();
        var clients = new[] { ("A", a), ("B", b), ("C", c) };

        // The time-of-request fields, and only those, are left out: GET /api/events without 'to' reports the
        // request's now as timeRange.to; GET /api/events/timeseries without from/to covers the 24 hours up to the
        // request's now, so its from, to and the empty slots at either end move with the clock (the slots that hold
        // events are compared, by their start). Every other field — lastSeen included, which is an event's time — must be
        // equal. The suggestion rules and the from=1h/10m ranges also read the clock (their windows end now), so the
        // traffic's event times lie at least two minutes from any window's edge, and this test takes well under that.
        // (GET /api/events/insights is compared in MultiNodeInsightsTests.)
        var explicitRange = FormattableString.Invariant($"from={now - (2 * 3_600_000)}&to={now + 60_000}");
        var questions = new (string Path, Action<JsonNode>? Exclude)[]
        {
            (EventTrackerRoutes.Services, null),
            (EventTrackerRoutes.Services + "?from=1h", null),
            (EventTrackerRoutes.Services + "?serviceName=checkout", null),
            (EventTrackerRoutes.Statistics, null),
            (EventTrackerRoutes.Statistics + "?from=10m", null),
            (EventTrackerRoutes.TimeSeries + "?" + explicitRange, null),
            (EventTrackerRoutes.TimeSeries + "?serviceName=checkout&" + explicitRange, null),
            (EventTrackerRoutes.TimeSeries, RequestTimeOfSeries),
            (EventTrackerRoutes.Suggestions, null),
            (EventTrackerRoutes.Suggestions + "?serviceName=auth", null),
            (EventTrackerRoutes.Suggestions + "?userId=u-1", null),
            (EventTrackerRoutes.Events + "?limit=1000", e => e["timeRange"]!.AsObject().Remove("to")),
            (EventTrackerRoutes.Events + "?serviceName=checkout&" + explicitRange, null),
        };
        foreach (var (path, exclude) in questions)
        {
            var answers = new List<(string Node, JsonNode Answer)>();
            foreach (var (name, client) in clients)
            {
                using var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} on {name}: {(int)response.StatusCode}");
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                exclude?.Invoke(json);
                answers.Add((name, json));
            }

            SameAnswers.Assert(path, answers);
        }

        // The answers are about the traffic, not empty agreement.
        var statistics = await a.GetStatisticsAsync();
        Assert.Equal(sent, statistics.TotalEventCount);
        Assert.Superset(
            new HashSet<string>(["sug-slow-checkout", "sug-errors-checkout", "sug-spike-checkout", "sug-logins-auth", "sug-chains-gateway"], StringComparer.Ordinal),
            (await a.GetSuggestionsAsync()).Suggestions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal));

        var tools = new (string Tool, Dictionary<string, object?> Arguments)[]
        {
            ("list_services", []),
            ("list_services", new() { ["from"] = "10m" }),
            ("get_statistics", []),
            ("get_statistics", new() { ["from"] = "1h" }),
            ("query_events", []),
            ("query_events", new() { ["filter"] = new { serviceName = "checkout" }, ["limit"] = 200 }),
            ("query_events", new() { ["filter"] = new { userId = "u-2" }, ["from"] = "1h" }),
        };
        var agents = new List<(string Node, McpClient Client)>();
        try
        {
            foreach (var (name, client) in clients)
            {
                agents.Add((name, await McpConnection.ConnectAsync(client)));
            }

            foreach (var (tool, arguments) in tools)
            {
                var answers = new List<(string Node, JsonNode Answer)>();
                foreach (var (name, agent) in agents)
                {
                    var result = await agent.CallToolAsync(tool, arguments);
                    Assert.True(result.IsError != true, $"{tool} on {name} failed");
                    answers.Add((name, JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!));
                }

                SameAnswers.Assert($"MCP {tool} {System.Text.Json.JsonSerializer.Serialize(arguments)}", answers);
            }
        }
        finally
        {
            foreach (var (_, agent) in agents)
            {
                await agent.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_stream_reader_resumes_on_B_from_the_last_id_A_gave_it_without_a_gap_or_a_repeat()
    {
        await using var nodes = await TwoNodes.StartAsync(cluster, output);
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();

        // Some events are read from A's stream; the reader then loses A, noting the last id it saw.
        string lastId;
        using (var streamA = TwoNodes.StreamClient(nodes.A))
        {
            await using var onA = await SseReader.OpenAsync(streamA);
            var before = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                before.Add((await a.TrackAsync("step", $$"""{"serviceName":"resume","correlationId":"before-{{i}}"}""")).EventId);
            }

            var read = new List<string>();
            for (var i = 0; i < before.Count; i++)
            {
                var (id, storedEvent) = await onA.NextEventAsync();
                Assert.Equal(storedEvent.Id, "evt-" + id);
                read.Add(storedEvent.Id);
            }

            Assert.Equal(before, read);
            lastId = read[^1]["evt-".Length..];
        }

        // Meanwhile A stores more (B too: its events are in the same feed).
        var after = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            after.Add((await (i % 5 == 4 ? b : a).TrackAsync("step", $$"""{"serviceName":"resume","correlationId":"after-{{i}}"}""")).EventId);
        }

        // On B, with A's last id, the reader gets exactly those, in order; then the next live event, nothing in between.
        using var streamB = TwoNodes.StreamClient(nodes.B);
        await using var onB = await SseReader.OpenAsync(streamB, lastEventId: lastId);
        var replayed = new List<(string Id, string? CorrelationId)>();
        for (var i = 0; i < after.Count; i++)
        {
            var (id, storedEvent) = await onB.NextEventAsync();
            Assert.Equal(storedEvent.Id, "evt-" + id);
            replayed.Add((storedEvent.Id, storedEvent.Payload.CorrelationId));
        }

        Assert.Equal(after.Select((id, i) => (id, (string?)$"after-{i}")), replayed);
        var live = await a.TrackAsync("step", """{"serviceName":"resume","correlationId":"live"}""");
        var (_, next) = await onB.NextEventAsync();
        Assert.Equal((live.EventId, "live"), (next.Id, next.Payload.CorrelationId));
    }

    // Leaves out of a default-range time series what moves with the request's clock (see the comment above its use).
    private static void RequestTimeOfSeries(JsonNode series)
    {
        series.AsObject().Remove("from");
        series.AsObject().Remove("to");
        var points = series["points"]!.AsArray();
        foreach (var empty in points.Where(p => p!["count"]!.GetValue<long>() == 0).ToList())
        {
            points.Remove(empty);
        }

        Assert.NotEmpty(points);
    }

    private static async Task<(string Id, StoredEvent Event, long Arrived)> NextEventTimedAsync(SseReader stream)
    {
        var (id, storedEvent) = await stream.NextEventAsync();
        return (id, storedEvent, Stopwatch.GetTimestamp());
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double percent) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percent / 100 * sorted.Count) - 1)];
}
