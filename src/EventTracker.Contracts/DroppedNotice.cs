namespace EventTracker.Contracts;

/// <summary>
/// The data of a <c>dropped</c> stream message: the reader fell behind and this many messages addressed to it were
/// discarded, oldest first, so that ingestion never waits for a reader.
/// </summary>
public sealed class DroppedNotice
{
    /// <summary>Number of messages missed since the previous notice.</summary>
    public long Count { get; init; }

    /// <summary>Stream id of the newest missed message.</summary>
    public long LastMissedId { get; init; }
}
