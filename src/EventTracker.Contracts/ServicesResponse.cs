using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/services</c>.</summary>
public sealed class ServicesResponse
{
    /// <summary>One entry per service, busiest first.</summary>
    public IReadOnlyList<ServiceStats> Services { get; init; } = [];

    /// <summary>Totals across the listed services.</summary>
    public required ServicesSummary Summary { get; init; }

    /// <summary>
    /// Whether the answer covers only the newest matching events: with a filter on more than the service, it is computed
    /// from the matching events themselves, at most 200,000 of them. Written only when true, so answers keep the shape
    /// the API has always had.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Truncated { get; init; }
}
