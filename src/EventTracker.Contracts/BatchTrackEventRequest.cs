namespace EventTracker.Contracts;

/// <summary>Several events sent in one request.</summary>
public sealed class BatchTrackEventRequest
{
    /// <summary>Optional batch identifier; a batch sent again with the same id is acknowledged and not stored twice.</summary>
    public string? BatchId { get; set; }

    /// <summary>
    /// When the client sent the batch, by its own clock, in milliseconds since the Unix epoch. When given, each event's
    /// own <c>timestamp</c> is shifted by the difference between the server's clock and this one, so a client whose clock
    /// is off still records when its events happened (the Segment <c>sentAt</c> model). monitor.js sends it.
    /// </summary>
    public long? SentAt { get; set; }

    /// <summary>The events to track.</summary>
    public IList<BatchTrackEventItem> Events { get; init; } = [];
}
