namespace EventTracker.Contracts;

/// <summary>The answer to tracking one event.</summary>
public sealed class TrackEventResponse
{
    /// <summary>Whether the event was tracked.</summary>
    public bool Success { get; init; }

    /// <summary>A human-readable outcome.</summary>
    public string? Message { get; init; }

    /// <summary>Suggestions relevant to the tracked event's service.</summary>
    public IReadOnlyList<AISuggestion> Suggestions { get; init; } = [];

    /// <summary>The stored event's identifier (the original one when the event was a replay).</summary>
    public required string EventId { get; init; }

    /// <summary>When the event was stored.</summary>
    public DateTimeOffset Timestamp { get; init; }
}
