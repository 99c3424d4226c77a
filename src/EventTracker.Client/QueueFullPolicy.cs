namespace EventTracker.Client;

/// <summary>What <see cref="BackgroundEventTracker"/> drops when its queue is full. Every drop is counted.</summary>
public enum QueueFullPolicy
{
    /// <summary>Drop the event being tracked; keep what is already queued.</summary>
    DropNewest,

    /// <summary>Drop the oldest queued event to make room.</summary>
    DropOldest,
}
