using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Queries;

/// <summary>
/// One correlation id's events as a timeline in the order they happened (by event time, then arrival), with the time
/// since the first step and the gap before each, the services crossed and the first failing step: the one computation
/// behind <c>GET /api/events/trace/{correlationId}</c> and the MCP tool <c>trace_correlation</c>.
/// </summary>
internal sealed class CorrelationTrace
{
    /// <summary>Most steps a trace holds: the newest, when the correlation id has more events.</summary>
    public const int MaxSteps = 500;

    private readonly EventQueryService _events;

    public CorrelationTrace(EventQueryService events) => _events = events;

    /// <summary>The timeline of <paramref name="correlationId"/>; null when no held event has it.</summary>
    public async ValueTask<CorrelationTraceResponse?> TraceAsync(string correlationId, CancellationToken cancellationToken)
    {
        var page = await _events.QueryAsync(new EventFilter { CorrelationId = correlationId }, null, null, MaxSteps, null, cancellationToken);
        if (page.Events.Count == 0)
        {
            return null;
        }

        // The page is newest first by (event time, arrival): reversed, it is the order things happened.
        var events = page.Events.Reverse().ToList();
        var first = events[0].Timestamp;
        var steps = events.Select((e, i) => new TraceStep
        {
            StepNumber = i + 1,
            SinceStartMs = e.Timestamp - first,
            GapMs = i == 0 ? 0 : e.Timestamp - events[i - 1].Timestamp,
            IsError = ErrorNames.IsError(e.Payload.StatusCode, e.Name),
            Event = e,
        }).ToList();
        return new CorrelationTraceResponse
        {
            CorrelationId = correlationId,
            Steps = steps,
            DurationMs = events[^1].Timestamp - first,
            Services = events.Select(e => e.ServiceName ?? RollupSet.UnknownService).Distinct(StringComparer.Ordinal).ToList(),
            FailingStep = steps.FirstOrDefault(s => s.IsError)?.StepNumber,
            Truncated = page.Filtered > MaxSteps,
        };
    }
}
