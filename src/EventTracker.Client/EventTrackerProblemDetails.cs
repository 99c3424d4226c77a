namespace EventTracker.Client;

/// <summary>An RFC 7807 problem returned by the server.</summary>
public sealed class EventTrackerProblemDetails
{
    /// <summary>A URI identifying the problem type.</summary>
    public string? Type { get; init; }

    /// <summary>A short summary.</summary>
    public string? Title { get; init; }

    /// <summary>The HTTP status code.</summary>
    public int? Status { get; init; }

    /// <summary>An explanation of this occurrence.</summary>
    public string? Detail { get; init; }

    /// <summary>Problems by field path, such as <c>events[2].eventName</c>.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
}
