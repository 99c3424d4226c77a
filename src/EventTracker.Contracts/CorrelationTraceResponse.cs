using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>
/// The answer of <c>GET /api/events/trace/{correlationId}</c>: every event of one correlation id (one request or flow
/// across services) in the order they happened.
/// </summary>
public sealed class CorrelationTraceResponse
{
    /// <summary>The correlation id traced.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The steps, oldest first (by event time, then by arrival).</summary>
    public IReadOnlyList<TraceStep> Steps { get; init; } = [];

    /// <summary>Milliseconds from the first step to the last.</summary>
    public long DurationMs { get; init; }

    /// <summary>The services the steps crossed, in the order they were first reached (<c>unknown</c> for events that named none).</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The <see cref="TraceStep.StepNumber"/> of the first step that is an error; absent when none is.</summary>
    public int? FailingStep { get; init; }

    /// <summary>
    /// Whether the correlation id has more events than a trace holds (500): then these are the newest of them. Written
    /// only when true, as for the analytics answers.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Truncated { get; init; }
}
