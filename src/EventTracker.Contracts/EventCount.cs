namespace EventTracker.Contracts;

/// <summary>How often one event name occurs.</summary>
public sealed class EventCount
{
    /// <summary>The event name.</summary>
    public required string EventName { get; init; }

    /// <summary>Number of events with that name.</summary>
    public long Count { get; init; }

    /// <summary>Share of the enclosing total, as a percentage (36.5 means 36.5 %).</summary>
    public double Percentage { get; init; }
}
