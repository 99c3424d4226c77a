namespace EventTracker.Contracts;

/// <summary>One bucket of a time series.</summary>
public sealed class TimeSeriesPoint
{
    /// <summary>Start of the bucket.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>Events that happened in the bucket.</summary>
    public long Count { get; init; }

    /// <summary>Of those, errors (status 400 or more, or an error event name).</summary>
    public long Errors { get; init; }

    /// <summary>Errors as a percentage of the events (2.5 means 2.5 %); 0 without events.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Average response time in milliseconds, when any event had one.</summary>
    public double? AvgResponseTime { get; init; }

    /// <summary>Median response time in milliseconds.</summary>
    public double? P50ResponseTime { get; init; }

    /// <summary>95th percentile response time in milliseconds.</summary>
    public double? P95ResponseTime { get; init; }

    /// <summary>99th percentile response time in milliseconds.</summary>
    public double? P99ResponseTime { get; init; }
}
