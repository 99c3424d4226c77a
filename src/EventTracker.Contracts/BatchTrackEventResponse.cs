namespace EventTracker.Contracts;

/// <summary>The answer to a batch.</summary>
public sealed class BatchTrackEventResponse
{
    /// <summary>Whether the batch was accepted.</summary>
    public bool Success { get; init; }

    /// <summary>Number of events the batch stored (replayed events are not counted again).</summary>
    public int ProcessedCount { get; init; }

    /// <summary>Suggestions relevant to the services in the batch.</summary>
    public IReadOnlyList<AISuggestion> Suggestions { get; init; } = [];

    /// <summary>The batch identifier: the client's, or one the server made.</summary>
    public required string BatchId { get; init; }

    /// <summary>When the batch was stored.</summary>
    public DateTimeOffset Timestamp { get; init; }
}
