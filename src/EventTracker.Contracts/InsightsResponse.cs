namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/insights</c>.</summary>
public sealed class InsightsResponse
{
    /// <summary>Insights detected in the range, open ones first, then by priority.</summary>
    public IReadOnlyList<AIInsight> Insights { get; init; } = [];

    /// <summary>When the evaluation behind this answer ran.</summary>
    public DateTimeOffset EvaluatedAt { get; init; }

    /// <summary>
    /// Per service (of the one asked about, when the query named one), the history its anomaly detection rests on:
    /// services still warming up are listed here, so an empty <see cref="Insights"/> says whether nothing was found or nothing could be judged yet.
    /// </summary>
    public IReadOnlyList<BaselineStatus> Baselines { get; init; } = [];
}
