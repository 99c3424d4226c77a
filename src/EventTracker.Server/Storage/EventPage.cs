namespace EventTracker.Server.Storage;

/// <summary>The result of a store query: a page of matching events, newest first, and counts over all matches.</summary>
internal sealed record EventPage(
    IReadOnlyList<EventRecord> Events,
    long Total,
    long Filtered,
    IReadOnlyList<string> Services,
    long? NextBeforeSequence,
    long? OldestTimestamp);
