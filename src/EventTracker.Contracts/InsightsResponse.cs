namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/insights</c>.</summary>
public sealed class InsightsResponse
{
    /// <summary>Insights detected in the range, open ones first, then by priority.</summary>
    public IReadOnlyList<AIInsight> Insights { get; init; } = [];

    /// <summary>When the evaluation behind this answer ran.</summary>
    public DateTimeOffset EvaluatedAt { get; init; }
}
