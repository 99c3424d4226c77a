using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EventTracker.Server.Tests.Mcp;

/// <summary>The MCP server as an agent uses it: through the official C# MCP client, over Streamable HTTP.</summary>
public sealed class McpTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
    private HttpClient _http = null!;
    private McpClient _mcp = null!;

    private FakeTimeProvider Time => _factory.Time!;

    public async Task InitializeAsync()
    {
        _http = _factory.CreateClient();
        _mcp = await McpConnection.ConnectAsync(_http);
    }

    public async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task The_tools_are_listed_read_only_with_descriptions_and_schemas()
    {
        var tools = await _mcp.ListToolsAsync();

        Assert.Equal(["get_insights", "get_service_health", "get_statistics", "list_services", "query_events", "trace_correlation"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tools, tool =>
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.True(tool.ProtocolTool.Annotations?.ReadOnlyHint, tool.Name);
            Assert.Equal(JsonValueKind.Object, tool.ProtocolTool.InputSchema.GetProperty("properties").ValueKind);
        });
        var health = tools.Single(t => t.Name == "get_service_health").ProtocolTool.InputSchema;
        Assert.Contains("serviceName", health.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(tools.Single(t => t.Name == "query_events").ProtocolTool.InputSchema.GetProperty("properties").TryGetProperty("filter", out _));
    }

    [Fact]
    public async Task The_guides_four_analysis_prompts_are_listed_and_filled_with_live_numbers()
    {
        await _http.TrackAsync("user-login", """{"serviceName":"auth","statusCode":401}""");
        await _http.TrackAsync("user-login", """{"serviceName":"auth","statusCode":200}""");

        var prompts = await _mcp.ListPromptsAsync();
        var security = await _mcp.GetPromptAsync("security_analysis", new Dictionary<string, object?> { ["serviceName"] = "auth" });
        var bad = await Assert.ThrowsAnyAsync<Exception>(() => _mcp.GetPromptAsync("performance_analysis", new Dictionary<string, object?> { ["from"] = "whenever" }).AsTask());

        Assert.Equal(["business_intelligence", "performance_analysis", "security_analysis", "user_behavior_analysis"], prompts.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(prompts, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Contains(prompts[0].ProtocolPrompt.Arguments!, a => a.Name == "serviceName");
        var text = Assert.IsType<TextContentBlock>(Assert.Single(security.Messages).Content).Text;
        Assert.Contains("Failed login attempts: 1 of 2 login events", text, StringComparison.Ordinal);
        Assert.StartsWith("You are an AI assistant", text, StringComparison.Ordinal);
        Assert.Contains("'from'", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_health_names_the_degraded_service_with_its_numbers_and_nothing_about_the_healthy_ones()
    {
        // Three steady services for an hour; then checkout is eight times slower and fails 30 % of the time.
        await McpAnswerShapes.CheckoutDegradesAsync(_http, Time, steadyMinutes: 60, degradedMinutes: 5);

        var checkout = await CallAsync("get_service_health", new() { ["serviceName"] = "checkout", ["window"] = "5m" });
        var catalog = await CallAsync("get_service_health", new() { ["serviceName"] = "catalog", ["window"] = "5m" });
        var insights = (await CallAsync("get_insights", [])).GetProperty("insights").EnumerateArray().ToList();

        Assert.Equal(["performance", "reliability"], insights.Select(i => i.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.All(insights, i =>
        {
            Assert.Equal("checkout", i.GetProperty("serviceName").GetString());
            Assert.Contains("checkout", i.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("catalog", i.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain("search", i.GetRawText(), StringComparison.Ordinal);
        });
        var reliability = insights.Single(i => i.GetProperty("type").GetString() == "reliability").GetProperty("evidence");
        Assert.InRange(reliability.GetProperty("current").GetDouble(), 29, 31);
        Assert.Equal(100, reliability.GetProperty("sampleSize").GetInt64());
        Assert.Equal(2, checkout.GetProperty("openInsights").GetArrayLength());
        Assert.Equal(0, catalog.GetProperty("openInsights").GetArrayLength());
        var current = checkout.GetProperty("current");
        Assert.Equal(100, current.GetProperty("eventCount").GetInt64());
        Assert.InRange(current.GetProperty("errorRate").GetDouble(), 29, 31);
        Assert.InRange(current.GetProperty("p95ResponseTime").GetDouble(), 600, 800);
        Assert.InRange(checkout.GetProperty("previous").GetProperty("p95ResponseTime").GetDouble(), 75, 100);
        Assert.True(checkout.GetProperty("trend").GetProperty("p95ChangePercent").GetDouble() > 500);
        Assert.InRange(checkout.GetProperty("trend").GetProperty("errorRateChangePoints").GetDouble(), 29, 31);
        var findings = checkout.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("description").GetString()!).ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Contains("checkout", f, StringComparison.Ordinal));
        Assert.Equal(0, catalog.GetProperty("findings").GetArrayLength());
        Assert.Equal(0, catalog.GetProperty("current").GetProperty("errorRate").GetDouble());
        var listed = await CallAsync("list_services", new() { ["from"] = "5m" });
        Assert.Equal(["catalog", "checkout", "search"], listed.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("serviceName").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Trace_correlation_returns_one_chain_in_the_order_it_happened_with_the_failing_step()
    {
        await _http.TrackAsync("api-request-start", """{"serviceName":"gateway","correlationId":"req-77"}""");
        Time.Advance(TimeSpan.FromMilliseconds(40));
        await _http.TrackAsync("payment-authorize", """{"serviceName":"payments","correlationId":"req-77","statusCode":502,"responseTimeMs":35}""");
        await _http.TrackAsync("api-request-start", """{"serviceName":"gateway","correlationId":"req-other"}""");
        Time.Advance(TimeSpan.FromMilliseconds(10));
        await _http.TrackAsync("api-error", """{"serviceName":"gateway","correlationId":"req-77","statusCode":502}""");

        var timeline = await CallAsync("trace_correlation", new() { ["correlationId"] = "req-77" });

        Assert.Equal(3, timeline.GetProperty("steps").GetInt32());
        var steps = timeline.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["api-request-start", "payment-authorize", "api-error"], steps.Select(s => s.GetProperty("event").GetProperty("name").GetString()));
        Assert.Equal([0L, 40L, 50L], steps.Select(s => s.GetProperty("sinceStartMs").GetInt64()));
        Assert.Equal(2, timeline.GetProperty("failingStep").GetInt32());
        Assert.Equal(["gateway", "payments"], timeline.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Query_events_returns_compact_rows_with_totals()
    {
        for (var i = 0; i < 5; i++)
        {
            await _http.TrackAsync("search", $$"""{"serviceName":"search","userId":"u{{i}}","responseTimeMs":{{10 + i}}}""");
            await _http.TrackAsync("page-view", """{"serviceName":"web"}""");
        }

        var page = await CallAsync("query_events", new() { ["filter"] = new { serviceName = "search" }, ["limit"] = 2 });

        Assert.Equal(5, page.GetProperty("filtered").GetInt64());
        Assert.Equal(10, page.GetProperty("total").GetInt64());
        var rows = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["u4", "u3"], rows.Select(r => r.GetProperty("userId").GetString()));
        Assert.False(rows[0].TryGetProperty("payload", out _));
        var next = await CallAsync("query_events", new() { ["filter"] = new { serviceName = "search" }, ["limit"] = 2, ["cursor"] = page.GetProperty("nextCursor").GetString() });
        Assert.Equal(["u2", "u1"], next.GetProperty("events").EnumerateArray().Select(r => r.GetProperty("userId").GetString()));
    }

    public static TheoryData<string, string, string> BadArguments => new()
    {
        { "query_events", """{"from":"last tuesday"}""", "'from'" },
        { "query_events", """{"from":"1h","to":"2h"}""", "'to'" },
        { "query_events", """{"limit":-1}""", "'limit'" },
        { "query_events", """{"cursor":"not-a-cursor"}""", "'cursor'" },
        { "query_events", """{"filter":{"serviceName":"bad\u0000name"}}""", "'filter.serviceName'" },
        { "get_service_health", """{"serviceName":""}""", "'serviceName'" },
        { "get_service_health", """{"serviceName":"checkout","window":"2y"}""", "'window'" },
        { "get_service_health", """{"serviceName":"checkout","window":"10s"}""", "'window'" },
        { "trace_correlation", """{"correlationId":"never-seen"}""", "'correlationId'" },
        { "get_statistics", """{"to":"tomorrow-ish"}""", "'to'" },
        { "get_insights", """{"type":"weather"}""", "'type'" },
        { "query_events", """{"limit":"ten"}""", "'limit'" },
        { "query_events", """{"limit":2.5}""", "'limit'" },
        { "query_events", """{"filter":"checkout"}""", "'filter'" },
        { "query_events", """{"filter":{"serviceName":5}}""", "'filter.serviceName'" },
        { "query_events", """{"filter":{"service":"checkout"}}""", "'filter.service'" },
        { "query_events", """{"servicename":"checkout"}""", "'servicename'" },
        { "trace_correlation", """{"correlationId":["a","b"]}""", "'correlationId'" },
        { "get_insights", """{"limit":-5}""", "'limit'" },
        { "list_services", """{"from":"-5"}""", "'from'" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Bad_arguments_are_tool_errors_naming_the_argument(string tool, string arguments, string named)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;

        var result = await _mcp.CallToolAsync(tool, values);

        Assert.True(result.IsError, tool + " " + arguments);
        Assert.Contains(named, Text(result), StringComparison.Ordinal);
    }

    private async Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        var result = await _mcp.CallToolAsync(tool, arguments);
        Assert.True(result.IsError != true, Text(result));
        return result.StructuredContent!.Value;
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
