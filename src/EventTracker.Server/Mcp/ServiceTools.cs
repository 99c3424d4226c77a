using System.ComponentModel;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Insights;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>The MCP tools that answer from the analytics: totals, the services, and one service's health.</summary>
[McpServerToolType]
internal sealed class ServiceTools
{
    private readonly ServiceAnalytics _analytics;
    private readonly SuggestionEngine _suggestions;
    private readonly InsightEngine _insights;
    private readonly TimeProvider _time;

    public ServiceTools(ServiceAnalytics analytics, SuggestionEngine suggestions, InsightEngine insights, TimeProvider time)
    {
        _analytics = analytics;
        _suggestions = suggestions;
        _insights = insights;
        _time = time;
    }

    [McpServerTool(Name = "get_insights", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Insights the server found, open ones first, most important first: anomalies against each service's "
        + "own baseline (response time, error rate, volume), security (failed-login bursts, one session acting for many "
        + "users) and user experience (flows that never finish, funnel steps people leave), each with its evidence "
        + "(windows compared, numbers, sample sizes), confidence and recommendations.")]
    public async Task<InsightsResponse> GetInsightsAsync(
        [Description("Only about this service.")] string? serviceName = null,
        [Description("Only of this type: performance, reliability, traffic, security, user-experience.")] string? type = null,
        [Description("Only insights seen since: ISO 8601, epoch milliseconds, or a span back from now such as 24h.")] string? from = null,
        [Description("Insights to return, default 10; above 200 is lowered to 200, as in GET /api/events/insights.")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        var service = string.IsNullOrEmpty(serviceName) ? null : ToolArguments.Identifier(serviceName, "serviceName");
        if (type is not null && !InsightTypes.All.Contains(type, StringComparer.Ordinal))
        {
            throw new McpException($"Argument 'type': '{JsonRpcError.Quote(type)}' is not one of {string.Join(", ", InsightTypes.All)}.");
        }

        var (start, _) = ToolArguments.Range(from, null, _time.GetUtcNow());
        return await _insights.QueryAsync(service, type, start, null, ToolArguments.Limit(limit, "limit", InsightEngine.MaxQueryLimit), cancellationToken);
    }

    [McpServerTool(Name = "get_statistics", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Totals over a time range: events, distinct event names, services, events per day, the most frequent "
        + "events, and events evicted from the store.")]
    public async Task<EventStatistics> GetStatisticsAsync(
        [Description("Start of the range: ISO 8601, epoch milliseconds, or a span back from now such as 24h.")] string? from = null,
        [Description("End of the range, in the same forms as from.")] string? to = null,
        CancellationToken cancellationToken = default)
    {
        var (start, end) = ToolArguments.Range(from, to, _time.GetUtcNow());
        var statistics = await _analytics.GetStatisticsAsync(new EventFilter(), start, end, cancellationToken);
        // The per-service breakdown is list_services' answer; leaving it out keeps this one short.
        return new EventStatistics
        {
            TotalEventCount = statistics.TotalEventCount,
            TotalUniqueEvents = statistics.TotalUniqueEvents,
            TotalServices = statistics.TotalServices,
            PerDay = statistics.PerDay,
            TopEvents = statistics.TopEvents,
            EvictedEvents = statistics.EvictedEvents,
        };
    }

    [McpServerTool(Name = "list_services", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Every service with events in a time range, busiest first: events, error rate (%), average and "
        + "p50/p95/p99 response time (ms), when it was last seen.")]
    public async Task<ServiceList> ListServicesAsync(
        [Description("Start of the range: ISO 8601, epoch milliseconds, or a span back from now such as 24h.")] string? from = null,
        [Description("End of the range, in the same forms as from.")] string? to = null,
        CancellationToken cancellationToken = default)
    {
        var (start, end) = ToolArguments.Range(from, to, _time.GetUtcNow());
        return new ServiceList((await _analytics.GetServicesAsync(new EventFilter(), start, end, cancellationToken)).Services.Select(ServiceSummary.From).ToList());
    }

    [McpServerTool(Name = "get_service_health", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("One service now: volume, error rate and response-time percentiles over the last window, the same "
        + "for the window before it with the change between them, its most frequent events, its open insights, and the "
        + "findings of the suggestion rules about it (slow, failing, error spikes, failed logins, flows that never finish).")]
    public async Task<ServiceHealth> GetServiceHealthAsync(
        [Description("The service, as in the events' serviceName.")] string serviceName,
        [Description("The window to look at, back from now: 5m, 1h (default), 24h, up to 30d.")] string window = "1h",
        CancellationToken cancellationToken = default)
    {
        var name = ToolArguments.Identifier(serviceName, "serviceName");
        var span = ToolArguments.Window(window, "window");
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var length = (long)span.TotalMilliseconds;
        var current = (await _analytics.GetServicesAsync(new EventFilter { ServiceName = name }, now - length, now, cancellationToken)).Services.SingleOrDefault();
        var previous = (await _analytics.GetServicesAsync(new EventFilter { ServiceName = name }, now - (2 * length), now - length - 1, cancellationToken)).Services.SingleOrDefault();
        return new ServiceHealth(
            name,
            window,
            current is null ? null : ServiceSummary.From(current),
            previous is null ? null : ServiceSummary.From(previous),
            Trend.Between(current, previous),
            current?.TopEvents.Take(5).Select(e => new NameCount(e.EventName, e.Count)).ToList() ?? [],
            await _insights.OpenForAsync(name, cancellationToken),
            _suggestions.ForService(name).Select(s => new FindingSummary(s.Title, s.Description, s.Score, s.BasedOn?.SampleSize)).ToList());
    }
}

/// <summary>The answer of <c>list_services</c>.</summary>
internal sealed record ServiceList(IReadOnlyList<ServiceSummary> Services);

/// <summary>A service in one line: <see cref="ServiceStats"/> without its top events.</summary>
internal sealed record ServiceSummary(
    string ServiceName, long EventCount, double? ErrorRate, double? AvgResponseTime, double? P50ResponseTime, double? P95ResponseTime, double? P99ResponseTime, DateTimeOffset LastSeen)
{
    public static ServiceSummary From(ServiceStats s) =>
        new(s.ServiceName, s.EventCount, s.ErrorRate, s.AvgResponseTime, s.P50ResponseTime, s.P95ResponseTime, s.P99ResponseTime, s.LastSeen);
}

/// <summary>The answer of <c>get_service_health</c>.</summary>
internal sealed record ServiceHealth(
    string ServiceName, string Window, ServiceSummary? Current, ServiceSummary? Previous, Trend Trend,
    IReadOnlyList<NameCount> TopEvents, IReadOnlyList<AIInsight> OpenInsights, IReadOnlyList<FindingSummary> Findings);

/// <summary>An event name and how often it occurred.</summary>
internal sealed record NameCount(string EventName, long Count);

/// <summary>A finding of the suggestion rules, as an agent needs it.</summary>
internal sealed record FindingSummary(string Title, string? Description, double? Score, long? SampleSize);

/// <summary>How the current window differs from the one before: relative change of volume and p95, error rate in points.</summary>
internal sealed record Trend(double? VolumeChangePercent, double? ErrorRateChangePoints, double? P95ChangePercent)
{
    public static Trend Between(ServiceStats? current, ServiceStats? previous) => new(
        Relative(current?.EventCount, previous?.EventCount),
        current?.ErrorRate is { } now && previous?.ErrorRate is { } before ? Math.Round(now - before, 2) : null,
        Relative(current?.P95ResponseTime, previous?.P95ResponseTime));

    private static double? Relative(double? now, double? before) =>
        now is { } n && before is { } b && b > 0 ? Math.Round(100 * (n - b) / b, 1) : null;
}
