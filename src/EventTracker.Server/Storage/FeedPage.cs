namespace EventTracker.Server.Storage;

/// <summary>
/// Changes read from a store's feed, in the order they happened, and where the follower stands after them (which may be
/// past the last change: events stored and removed again before they were read are skipped).
/// </summary>
internal sealed record FeedPage(IReadOnlyList<StoreChange> Changes, FeedPosition Next);
