namespace EventTracker.Server.Storage;

/// <summary>What a <see cref="StoreChange"/> says happened.</summary>
internal enum StoreChangeKind
{
    /// <summary>An event was stored.</summary>
    Appended,

    /// <summary>An event the follower was given left the store (capacity or retention).</summary>
    Removed,

    /// <summary>Start over: what follows is the whole held state.</summary>
    Reset,

    /// <summary>Every event that happened before <see cref="StoreChange.Before"/> left the store at once (retention by whole partitions).</summary>
    RemovedBefore,
}
