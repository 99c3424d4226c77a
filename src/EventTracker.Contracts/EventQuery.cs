namespace EventTracker.Contracts;

/// <summary>A filter plus the time range and paging of <c>GET /api/events</c>.</summary>
public sealed record EventQuery : EventFilter
{
    /// <summary>The largest number of events the server returns in one page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The number of events returned when no limit is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Earliest event time, inclusive.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Latest event time, inclusive.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Page size; the server clamps it to 1 … <see cref="MaxLimit"/>.</summary>
    public int? Limit { get; init; }

    /// <summary>The <see cref="EventsResponse.NextCursor"/> of the previous page.</summary>
    public string? Cursor { get; init; }
}
