namespace EventTracker.Server.Storage;

/// <summary>
/// A follower's place in a store's change feed: the newest event position it has been given (<see cref="Appended"/>,
/// also the event's stream id) and how many removals it has been given (<see cref="Removed"/>). Both only grow;
/// appended positions may have gaps.
/// </summary>
internal readonly record struct FeedPosition(long Appended, long Removed)
{
    /// <summary>Before everything: reading from here yields every held event.</summary>
    public static FeedPosition Start => default;

    /// <summary>Whether this position is at or past <paramref name="other"/> in both counts.</summary>
    public bool Reached(FeedPosition other) => Appended >= other.Appended && Removed >= other.Removed;
}
