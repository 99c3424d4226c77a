namespace EventTracker.Server.Storage;

/// <summary>
/// The result of a store query: a page of matching events, newest first, counts over all matches, where the next page
/// starts (when there is one), and the time of the earliest held event.
/// </summary>
internal sealed record EventPage(
    IReadOnlyList<EventRecord> Events,
    long Total,
    long Filtered,
    IReadOnlyList<string> Services,
    EventPosition? NextBefore,
    long? EarliestTimestamp);
