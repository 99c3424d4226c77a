namespace EventTracker.Contracts;

/// <summary>The HTTP routes of the EventTracker API.</summary>
public static class EventTrackerRoutes
{
    /// <summary>Track one event: <c>POST</c>, with the event name as the last segment.</summary>
    public const string Track = "/api/events/track/{eventName}";

    /// <summary>Track several events: <c>POST</c>. A single event cannot be named <c>batch</c>.</summary>
    public const string TrackBatch = "/api/events/track/batch";

    /// <summary>Filtered event retrieval: <c>GET</c>.</summary>
    public const string Events = "/api/events";

    /// <summary>Analytics per service: <c>GET</c>.</summary>
    public const string Services = "/api/events/services";

    /// <summary>Statistics of the held events: <c>GET</c>.</summary>
    public const string Statistics = "/api/events/statistics";

    /// <summary>Suggestions from event patterns: <c>GET</c>.</summary>
    public const string Suggestions = "/api/events/suggestions";

    /// <summary>Insights: anomalies against each service's baseline, security and user-experience findings.</summary>
    public const string Insights = "/api/events/insights";

    /// <summary>A service's history in regular buckets.</summary>
    public const string TimeSeries = "/api/events/timeseries";

    /// <summary>One correlation id's events as a timeline in the order they happened: <c>GET</c>, with the id as the last segment.</summary>
    public const string Trace = "/api/events/trace/{correlationId}";

    /// <summary>Server-Sent Events stream: <c>GET</c>.</summary>
    public const string Stream = "/api/events/stream";

    /// <summary>WebSocket stream.</summary>
    public const string WebSocket = "/api/events/ws";

    /// <summary>The browser monitor script.</summary>
    public const string MonitorScript = "/api/monitor.js";

    /// <summary>Liveness probe.</summary>
    public const string Health = "/healthz";

    /// <summary>The ML feature export: one row per event, NDJSON or CSV.</summary>
    public const string Features = "/api/events/features";

    /// <summary>The guide's analysis prompts filled with live numbers: <c>GET /api/ai/prompts/{kind}</c>.</summary>
    public const string Prompts = "/api/ai/prompts";

    /// <summary>OpenTelemetry trace export (OTLP/HTTP, protobuf or JSON): <c>POST</c>; each span is stored as an event.</summary>
    public const string OtlpTraces = "/v1/traces";

    /// <summary>OpenTelemetry log export (OTLP/HTTP, protobuf or JSON): <c>POST</c>; each log record is stored as an event.</summary>
    public const string OtlpLogs = "/v1/logs";

    /// <summary>The MCP server (Streamable HTTP) for AI agents.</summary>
    public const string Mcp = "/mcp";

    /// <summary>The alert webhooks and how their messages went: <c>GET</c> (admin).</summary>
    public const string Alerts = "/api/alerts";

    /// <summary>Sends an <c>alert.test</c> message to every webhook, or the one named by <c>name</c>: <c>POST</c> (admin).</summary>
    public const string AlertsTest = "/api/alerts/test";

    /// <summary>The path of the track endpoint for one event name, escaped.</summary>
    /// <param name="eventName">The event name.</param>
    /// <returns>The relative path, such as <c>/api/events/track/user-login</c>.</returns>
    public static string TrackPath(string eventName) => "/api/events/track/" + Uri.EscapeDataString(eventName);

    /// <summary>The path of the trace endpoint for one correlation id, escaped.</summary>
    /// <param name="correlationId">The correlation id.</param>
    /// <returns>The relative path, such as <c>/api/events/trace/req-123</c>.</returns>
    public static string TracePath(string correlationId) => "/api/events/trace/" + Uri.EscapeDataString(correlationId);
}
