namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/services</c>.</summary>
public sealed class ServicesResponse
{
    /// <summary>One entry per service, busiest first.</summary>
    public IReadOnlyList<ServiceStats> Services { get; init; } = [];

    /// <summary>Totals across the listed services.</summary>
    public required ServicesSummary Summary { get; init; }
}
