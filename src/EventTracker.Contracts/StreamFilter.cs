namespace EventTracker.Contracts;

/// <summary>A filter for the live stream, and where to resume it.</summary>
public sealed record StreamFilter : EventFilter
{
    /// <summary>Resume after this stream message id (the SSE <c>Last-Event-ID</c>); null starts with new messages.</summary>
    public string? LastEventId { get; init; }
}
