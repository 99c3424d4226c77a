namespace EventTracker.Contracts;

/// <summary>A time range, both ends inclusive.</summary>
public sealed class TimeRange
{
    /// <summary>Start of the range.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>End of the range.</summary>
    public DateTimeOffset To { get; init; }
}
