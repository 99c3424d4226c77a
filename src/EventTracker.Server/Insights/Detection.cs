using EventTracker.Contracts;

namespace EventTracker.Server.Insights;

/// <summary>
/// One finding of a detector in one evaluation, before it becomes an <see cref="AIInsight"/>: <see cref="Key"/> names
/// the condition (type, measure, service), so the same condition found again continues the same episode; an anomaly
/// carries the <see cref="Plan"/> it was judged by, which its episode keeps while it lasts.
/// </summary>
internal sealed record Detection(
    string Key,
    string Type,
    string? ServiceName,
    string Title,
    string Description,
    IReadOnlyList<string> Recommendations,
    double Severity,
    double Confidence,
    InsightEvidence Evidence,
    BaselinePlan? Plan = null);
