namespace EventTracker.Contracts;

/// <summary>Several events sent in one request.</summary>
public sealed class BatchTrackEventRequest
{
    /// <summary>Optional batch identifier; a batch sent again with the same id is acknowledged and not stored twice.</summary>
    public string? BatchId { get; set; }

    /// <summary>The events to track.</summary>
    public IList<BatchTrackEventItem> Events { get; init; } = [];
}
