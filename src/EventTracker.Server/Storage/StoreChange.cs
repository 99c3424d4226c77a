namespace EventTracker.Server.Storage;

/// <summary>One entry of a store's change feed.</summary>
internal readonly record struct StoreChange(StoreChangeKind Kind, EventRecord? Record, long Before = 0)
{
    public static StoreChange Appended(EventRecord record) => new(StoreChangeKind.Appended, record);

    public static StoreChange Removed(EventRecord record) => new(StoreChangeKind.Removed, record);

    /// <summary>The follower fell too far behind: it forgets what it derived; every held event follows as appended.</summary>
    public static StoreChange Reset => new(StoreChangeKind.Reset, null);

    /// <summary>Every event whose time is before <paramref name="timestamp"/> (ms since the epoch) is gone.</summary>
    public static StoreChange RemovedBefore(long timestamp) => new(StoreChangeKind.RemovedBefore, null, timestamp);
}
