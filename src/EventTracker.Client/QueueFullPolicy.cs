namespace EventTracker.Client;

/// <summary>What <see cref="BackgroundEventTracker"/> does when its queue is full. Every drop is counted.</summary>
public enum QueueFullPolicy
{
    /// <summary>Drop the event being tracked; keep what is already queued.</summary>
    DropNewest,

    /// <summary>Drop the oldest queued event to make room.</summary>
    DropOldest,

    /// <summary>
    /// Drop nothing that waits: <see cref="IEventTracker.TrackAsync"/> waits for room (back-pressure for batch and AI
    /// jobs). <see cref="IEventTracker.Track"/>, which must not block, drops the new event as <see cref="DropNewest"/>.
    /// </summary>
    Wait,
}
