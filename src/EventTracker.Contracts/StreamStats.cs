namespace EventTracker.Contracts;

/// <summary>The data of a <c>stats</c> stream message: a live summary of the server.</summary>
public sealed class StreamStats
{
    /// <summary>Number of events held.</summary>
    public long TotalEvents { get; init; }

    /// <summary>Number of distinct services among the held events.</summary>
    public int TotalServices { get; init; }

    /// <summary>Events stored in the last minute.</summary>
    public long EventsLastMinute { get; init; }

    /// <summary>Percentage of the last minute's events that are errors.</summary>
    public double ErrorRateLastMinute { get; init; }

    /// <summary>Average response time of the last minute's events that carry one; absent when none does.</summary>
    public double? AvgResponseTimeLastMinute { get; init; }

    /// <summary>Live stream connections (SSE and WebSocket).</summary>
    public int Subscribers { get; init; }

    /// <summary>Events evicted from the store since it started.</summary>
    public long EvictedEvents { get; init; }

    /// <summary>Stream messages dropped since start because readers fell behind.</summary>
    public long DroppedMessages { get; init; }

    /// <summary>When the statistics were taken.</summary>
    public DateTimeOffset Timestamp { get; init; }
}
