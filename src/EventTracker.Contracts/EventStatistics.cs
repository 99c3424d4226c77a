using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/statistics</c>: statistics of the events the server holds.</summary>
public sealed class EventStatistics
{
    /// <summary>Number of events.</summary>
    public long TotalEventCount { get; init; }

    /// <summary>Number of distinct event names.</summary>
    public int TotalUniqueEvents { get; init; }

    /// <summary>Number of distinct services.</summary>
    public int TotalServices { get; init; }

    /// <summary>Events per UTC calendar day, oldest first.</summary>
    public IReadOnlyList<DailyCount> PerDay { get; init; } = [];

    /// <summary>The most frequent events across all services.</summary>
    public IReadOnlyList<EventCount> TopEvents { get; init; } = [];

    /// <summary>Analytics per service, busiest first.</summary>
    public IReadOnlyList<ServiceStats> ServiceBreakdown { get; init; } = [];

    /// <summary>Events the server has evicted since it started, to stay within its capacity or maximum age (they are not counted above).</summary>
    public long? EvictedEvents { get; init; }

    /// <summary>
    /// Whether the answer covers only the newest matching events: with a filter on more than the service, it is computed
    /// from the matching events themselves, at most 200,000 of them. Written only when true, so answers keep the shape
    /// the API has always had.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Truncated { get; init; }
}
