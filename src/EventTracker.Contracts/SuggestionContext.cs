namespace EventTracker.Contracts;

/// <summary>The scope suggestions were computed over.</summary>
public sealed class SuggestionContext
{
    /// <summary>The service asked about, if any.</summary>
    public string? ServiceName { get; init; }

    /// <summary>The event name asked about, if any.</summary>
    public string? EventName { get; init; }

    /// <summary>The user asked about, if any.</summary>
    public string? UserId { get; init; }

    /// <summary>The analysed window, such as <c>last-24h</c>.</summary>
    public required string TimeRange { get; init; }

    /// <summary>Number of events in the analysed scope.</summary>
    public long TotalEvents { get; init; }
}
