namespace EventTracker.Contracts;

/// <summary>A page of events, newest first.</summary>
public sealed class EventsResponse
{
    /// <summary>The events of this page, newest first.</summary>
    public IReadOnlyList<StoredEvent> Events { get; init; } = [];

    /// <summary>Number of events the server holds.</summary>
    public long Total { get; init; }

    /// <summary>Number of events matching the filters and time range, across all pages.</summary>
    public long Filtered { get; init; }

    /// <summary>The distinct services among the matching events.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The effective time range.</summary>
    public required TimeRange TimeRange { get; init; }

    /// <summary>Pass as <see cref="EventQuery.Cursor"/> to get the next (older) page; absent on the last page.</summary>
    public string? NextCursor { get; init; }
}
