using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/timeseries</c>: one service's (or all services') history in regular buckets.</summary>
public sealed class TimeSeriesResponse
{
    /// <summary>The service, or null for all services together.</summary>
    public string? ServiceName { get; init; }

    /// <summary>Start of the first bucket.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>End of the last bucket (exclusive).</summary>
    public DateTimeOffset To { get; init; }

    /// <summary>Width of every bucket in seconds, chosen from the range so there are at most 120.</summary>
    public long BucketSeconds { get; init; }

    /// <summary>The buckets, oldest first; buckets without events are included with a count of 0.</summary>
    public IReadOnlyList<TimeSeriesPoint> Points { get; init; } = [];

    /// <summary>
    /// Whether the answer covers only the newest matching events: with a filter on more than the service, it is computed
    /// from the matching events themselves, at most 200,000 of them. Written only when true, so answers keep the shape
    /// the API has always had.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Truncated { get; init; }
}
