namespace EventTracker.Contracts;

/// <summary>The data of an <c>error</c> WebSocket message: what was wrong with a client message, by field.</summary>
public sealed class StreamErrorData
{
    /// <summary>A short summary.</summary>
    public required string Title { get; init; }

    /// <summary>Problems by field path.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = new Dictionary<string, string[]>();
}
