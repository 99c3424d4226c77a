namespace EventTracker.Contracts;

/// <summary>Number of events on one UTC calendar day.</summary>
public sealed class DailyCount
{
    /// <summary>The day, as <c>yyyy-MM-dd</c>.</summary>
    public required string Date { get; init; }

    /// <summary>Number of events on that day.</summary>
    public long Count { get; init; }
}
