using System.Diagnostics;

namespace EventTracker.Server.Telemetry;

/// <summary>
/// The server's own spans (<c>EventTracker.Server</c>), recorded only when tracing is on (an OTLP endpoint is set):
/// admission (<c>eventtracker.ingest</c>), store appends, queries and MCP tool calls, inside ASP.NET Core's request
/// span, so a slow request can be followed into the server.
/// </summary>
internal static class ServerActivities
{
    public const string SourceName = "EventTracker.Server";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Events being admitted from <paramref name="transport"/>; null when nobody listens.</summary>
    public static Activity? Ingest(IngestTransport transport, int events)
    {
        var activity = Source.StartActivity("eventtracker.ingest");
        activity?.SetTag("eventtracker.transport", transport.ToString().ToLowerInvariant());
        activity?.SetTag("eventtracker.events", events);
        return activity;
    }

    /// <summary>An append to the store of <paramref name="events"/> events.</summary>
    public static Activity? Append(int events) => Source.StartActivity("eventtracker.store.append")?.SetTag("eventtracker.events", events);

    /// <summary>A query of the store.</summary>
    public static Activity? Query() => Source.StartActivity("eventtracker.query");

    /// <summary>An MCP tool call.</summary>
    public static Activity? McpTool(string? tool) => Source.StartActivity("eventtracker.mcp.tool")?.SetTag("gen_ai.tool.name", tool);

    /// <summary>Marks <paramref name="activity"/> as refused, with the reason: the client's doing, not an error of the server's.</summary>
    public static void Refused(this Activity? activity, string reason) => activity?.SetTag("eventtracker.refused", reason);
}
