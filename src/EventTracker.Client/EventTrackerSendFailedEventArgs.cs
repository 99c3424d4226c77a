namespace EventTracker.Client;

/// <summary>A batch the background sender gave up.</summary>
public sealed class EventTrackerSendFailedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="batchId">The batch's id.</param>
    /// <param name="eventCount">How many events the batch held.</param>
    /// <param name="exception">The last failure.</param>
    public EventTrackerSendFailedEventArgs(string batchId, int eventCount, Exception exception)
    {
        BatchId = batchId;
        EventCount = eventCount;
        Exception = exception;
    }

    /// <summary>The batch's id.</summary>
    public string BatchId { get; }

    /// <summary>How many events were given up.</summary>
    public int EventCount { get; }

    /// <summary>The last failure: an <see cref="EventTrackerException"/> when the server refused the batch.</summary>
    public Exception Exception { get; }
}
