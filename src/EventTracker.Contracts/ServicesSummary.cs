namespace EventTracker.Contracts;

/// <summary>Totals across services.</summary>
public sealed class ServicesSummary
{
    /// <summary>Number of services.</summary>
    public int TotalServices { get; init; }

    /// <summary>Number of events.</summary>
    public long TotalEvents { get; init; }

    /// <summary>Average response time over all events that carry one; absent when none does.</summary>
    public double? AvgResponseTime { get; init; }

    /// <summary>Percentage of all events that are errors.</summary>
    public double OverallErrorRate { get; init; }
}
