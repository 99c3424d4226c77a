namespace EventTracker.Contracts;

/// <summary>
/// Something the server found in the events that an engineer or an agent should know, in the guide's
/// <c>AIInsight</c> shape, with the <see cref="Evidence"/> it rests on.
/// </summary>
public sealed class AIInsight
{
    /// <summary>Stable for one episode: the same while the condition lasts, new when it comes back later.</summary>
    public required string Id { get; init; }

    /// <summary><c>performance</c>, <c>reliability</c>, <c>traffic</c>, <c>security</c> or <c>user-experience</c> (see <see cref="InsightTypes"/>).</summary>
    public required string Type { get; init; }

    /// <summary>0–1, higher is more important.</summary>
    public double Priority { get; init; }

    /// <summary>One line.</summary>
    public required string Title { get; init; }

    /// <summary>What was found, with the numbers.</summary>
    public required string Description { get; init; }

    /// <summary>What to do about it.</summary>
    public IReadOnlyList<string> Recommendations { get; init; } = [];

    /// <summary>Who it hurts, each 0–1.</summary>
    public required InsightImpact Impact { get; init; }

    /// <summary>0–1, from the sample size and the size of the effect.</summary>
    public double Confidence { get; init; }

    /// <summary>The service it is about, when it is about one.</summary>
    public string? ServiceName { get; init; }

    /// <summary>When the episode was first detected.</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>When it was last seen to hold; the episode is over once an evaluation no longer finds it.</summary>
    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Whether the condition still held at the last evaluation.</summary>
    public bool Open { get; init; }

    /// <summary>The windows compared, the numbers and the sample sizes.</summary>
    public required InsightEvidence Evidence { get; init; }
}
