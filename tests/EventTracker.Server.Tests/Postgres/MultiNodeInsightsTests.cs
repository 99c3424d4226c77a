using System.Net;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using EventTracker.Server.Tests.Alerts;
using EventTracker.Server.Tests.Mcp;
using EventTracker.Testing;
using ModelContextProtocol.Client;
using Xunit.Abstractions;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// <c>GET /api/events/insights</c>, the fifth analytics endpoint, the MCP tool <c>get_insights</c>, and the alerts they
/// raise, with several nodes over one database: behind a load balancer a user (or an agent) must see the same insights
/// whichever node answers, and an operator must be alerted once per insight, not once per node.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class MultiNodeInsightsTests(PostgresCluster cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task Insights_answer_the_same_on_every_node()
    {
        await using var nodes = await TwoNodes.StartAsync(cluster, output);
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();
        await MultiNodeTraffic.SendAsync(a, b, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var c = (await nodes.StartNodeAsync("C")).CreateClient();
        var clients = new[] { ("A", a), ("B", b), ("C", c) };

        // Left out as time-of-request (see WithoutRequestTime): evaluatedAt, each insight's lastSeenAt and the end of
        // its evidence window, and how much history each baseline holds up to now. Everything else is about the
        // traffic and must be the same on every node, ids and detectedAt included: an insight followed by its id, or
        // dated by when it was detected, must not change with the node that answers.
        var answers = new List<(string Node, JsonNode Answer)>();
        foreach (var (name, client) in clients)
        {
            using var response = await client.GetAsync(EventTrackerRoutes.Insights);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            WithoutRequestTime(json);
            answers.Add((name, json));
        }

        // They are about the traffic: the failed-login burst, the failing checkout, the flows that never finish.
        Assert.Equal(
            ["reliability", "security", "user-experience"],
            answers[0].Answer["insights"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        SameAnswers.Assert(EventTrackerRoutes.Insights, answers);

        var tools = new List<(string Node, JsonNode Answer)>();
        foreach (var (name, client) in clients)
        {
            await using var agent = await McpConnection.ConnectAsync(client);
            var result = await agent.CallToolAsync("get_insights", new Dictionary<string, object?>());
            Assert.True(result.IsError != true, $"get_insights on {name} failed");
            var json = JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!;
            WithoutRequestTime(json);
            tools.Add((name, json));
        }

        SameAnswers.Assert("MCP get_insights", tools);
    }

    [Fact]
    public async Task An_insight_is_alerted_once_however_many_nodes_run()
    {
        // The operator configures one webhook for security insights, the same on every node of the deployment.
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(cluster, output, new Dictionary<string, string>
        {
            ["EventTracker__Alerts__Webhooks__0__Name"] = "ops",
            ["EventTracker__Alerts__Webhooks__0__Url"] = receiver.Url("/ops"),
            ["EventTracker__Alerts__Webhooks__0__Types__0"] = InsightTypes.Security,
        });
        using var a = nodes.A.CreateClient();
        using var b = nodes.B.CreateClient();

        // One burst of failed logins, sent to A; a dashboard behind the load balancer then asks each node for insights.
        for (var i = 0; i < 12; i++)
        {
            await a.TrackAsync("user-login", """{"serviceName":"auth","statusCode":401}""", $"victim-{i % 3}");
        }

        foreach (var node in new[] { a, b })
        {
            using var response = await node.GetAsync(EventTrackerRoutes.Insights);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Deliveries go out at once; after one more evaluation interval (10 s) every node has also evaluated by itself.
        await receiver.WaitForDeliveredAsync("/ops", 1);
        await Task.Delay(TimeSpan.FromSeconds(12));
        var opened = receiver.Received.Where(r => r.Delivered && r.Type == "insight.opened").ToList();
        Assert.True(
            opened.Count == 1,
            $"The one failed-login burst was alerted {opened.Count} times: "
            + string.Join("; ", opened.Select(r => $"{r.Json.GetProperty("data").GetProperty("id").GetString()} detected at {r.Json.GetProperty("data").GetProperty("detectedAt").GetString()}")));
    }

    // evaluatedAt is the clock of the evaluation this request ran; an open insight's lastSeenAt is that evaluation too;
    // evidence.window.to is that clock (less UnfinishedFlowAfter for unfinished flows); a baseline's heldMinutes (and
    // its description, which says them) run from the service's first event up to that clock.
    private static void WithoutRequestTime(JsonNode insights)
    {
        insights.AsObject().Remove("evaluatedAt");
        foreach (var insight in insights["insights"]!.AsArray())
        {
            insight!.AsObject().Remove("lastSeenAt");
            insight["evidence"]!["window"]!.AsObject().Remove("to");
        }

        foreach (var baseline in insights["baselines"]!.AsArray())
        {
            baseline!.AsObject().Remove("heldMinutes");
            baseline.AsObject().Remove("description");
        }
    }
}
