namespace EventTracker.Contracts;

/// <summary>One step of a <see cref="CorrelationTraceResponse"/>: an event and where it stands in the timeline.</summary>
public sealed class TraceStep
{
    /// <summary>The step's place in the timeline, from 1.</summary>
    public int StepNumber { get; init; }

    /// <summary>Milliseconds since the first step.</summary>
    public long SinceStartMs { get; init; }

    /// <summary>Milliseconds since the step before (0 for the first).</summary>
    public long GapMs { get; init; }

    /// <summary>Whether the event is an error: <c>statusCode</c> 400 or more, or a name containing <c>error</c>, <c>fail</c> or <c>exception</c>.</summary>
    public bool IsError { get; init; }

    /// <summary>The event, as <c>GET /api/events</c> returns it.</summary>
    public required StoredEvent Event { get; init; }
}
