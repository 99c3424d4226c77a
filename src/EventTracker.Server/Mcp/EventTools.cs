using System.ComponentModel;
using EventTracker.Contracts;
using EventTracker.Server.Queries;
using EventTracker.Server.Storage;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>The MCP tools that read events themselves: a filtered page of compact rows, and one request's timeline.</summary>
[McpServerToolType]
internal sealed class EventTools
{
    private const int MaxRows = 200;

    private readonly EventQueryService _events;
    private readonly CorrelationTrace _trace;
    private readonly TimeProvider _time;

    public EventTools(EventQueryService events, CorrelationTrace trace, TimeProvider time)
    {
        _events = events;
        _trace = trace;
        _time = time;
    }

    [McpServerTool(Name = "query_events", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Events matching a filter in a time range, newest first, as compact rows, with how many events match "
        + "in all (filtered) and how many are held (total), as GET /api/events answers. At most 200 rows a page (the REST "
        + "API allows 1000); a larger limit is lowered to 200. Use get_statistics or list_services for totals; use this to look at examples.")]
    public async Task<EventPage> QueryEventsAsync(
        [Description("Conditions that must all hold: serviceName, eventName, type (part of the event name), userId, correlationId, sessionId, "
            + "errorsOnly (true: only errors, statusCode >= 400 or a name containing error, fail or exception), statusClass (1 to 5: statusCode 1xx to 5xx).")] EventFilter? filter = null,
        [Description("Start of the range: ISO 8601, epoch milliseconds, or a span back from now such as 15m, 24h, 7d.")] string? from = null,
        [Description("End of the range, in the same forms as from.")] string? to = null,
        [Description("Rows to return, default 50; above 200 is lowered to 200.")] int limit = 50,
        [Description("nextCursor of a previous answer, for the next older page.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var checkedFilter = ToolArguments.Filter(filter);
        var (start, end) = ToolArguments.Range(from, to, now);
        limit = ToolArguments.Limit(limit, "limit", MaxRows);
        EventPosition? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            before = EventCursor.TryDecode(cursor, out var position) ? position : throw new McpException("Argument 'cursor': is not a cursor this server issued.");
        }

        var page = await _events.QueryAsync(checkedFilter, start, end, limit, before, cancellationToken);
        return new EventPage(page.Filtered, page.Total, page.Events.Select(EventRow.From).ToList(), page.NextCursor);
    }

    [McpServerTool(Name = "trace_correlation", ReadOnly = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Every event of one correlation id (one request or flow across services) as a timeline in the order "
        + "they happened, with the time since the first step and the gap before each step, the services it crossed, "
        + "and the first failing step.")]
    public async Task<CorrelationTimeline> TraceCorrelationAsync(
        [Description("The correlation id, as in the events' correlationId.")] string correlationId,
        CancellationToken cancellationToken = default)
    {
        var id = ToolArguments.Identifier(correlationId, "correlationId");
        var trace = await _trace.TraceAsync(id, cancellationToken)
            ?? throw new McpException($"Argument 'correlationId': no held event has correlation id '{id}'.");
        return new CorrelationTimeline(
            trace.CorrelationId,
            trace.Steps.Count,
            trace.DurationMs,
            trace.Services,
            trace.FailingStep,
            trace.Truncated,
            trace.Steps.Select(s => new TimelineStep(s.StepNumber, s.SinceStartMs, s.GapMs, EventRow.From(s.Event))).ToList());
    }
}

/// <summary>A page of <c>query_events</c>, with the names of <see cref="EventsResponse"/>.</summary>
internal sealed record EventPage(long Filtered, long Total, IReadOnlyList<EventRow> Events, string? NextCursor);

/// <summary>One step of a correlation timeline, its event as a compact row.</summary>
internal sealed record TimelineStep(int Step, long SinceStartMs, long GapMs, EventRow Event);

/// <summary>The answer of <c>trace_correlation</c>.</summary>
internal sealed record CorrelationTimeline(
    string CorrelationId, int Steps, long DurationMs, IReadOnlyList<string> Services, int? FailingStep, bool Truncated, IReadOnlyList<TimelineStep> Timeline);
