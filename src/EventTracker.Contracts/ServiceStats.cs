namespace EventTracker.Contracts;

/// <summary>Analytics of one service over a time range.</summary>
public sealed class ServiceStats
{
    /// <summary>The service name (<c>unknown</c> for events that named none).</summary>
    public required string ServiceName { get; init; }

    /// <summary>Number of events of the service.</summary>
    public long EventCount { get; init; }

    /// <summary>Number of distinct event names.</summary>
    public int UniqueEvents { get; init; }

    /// <summary>Average <c>responseTimeMs</c> of the events that carry one; absent when none does.</summary>
    public double? AvgResponseTime { get; init; }

    /// <summary>Median response time in milliseconds.</summary>
    public double? P50ResponseTime { get; init; }

    /// <summary>95th percentile response time in milliseconds.</summary>
    public double? P95ResponseTime { get; init; }

    /// <summary>99th percentile response time in milliseconds.</summary>
    public double? P99ResponseTime { get; init; }

    /// <summary>Percentage of the service's events that are errors (status ≥ 400, or a name with error, fail or exception).</summary>
    public double? ErrorRate { get; init; }

    /// <summary>Time of the service's latest event.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>The service's most frequent events.</summary>
    public IReadOnlyList<EventCount> TopEvents { get; init; } = [];
}
