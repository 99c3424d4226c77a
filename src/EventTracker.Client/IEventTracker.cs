using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// Fire-and-forget event tracking: <see cref="Track"/> only queues the event; a background loop sends batches.
/// Sending problems never reach the caller of <see cref="Track"/>: they are logged, retried, and when an event is
/// given up, counted and reported through <see cref="SendFailed"/>.
/// </summary>
public interface IEventTracker : IAsyncDisposable
{
    /// <summary>Events dropped because the queue was full or the tracker was disposed.</summary>
    long DroppedCount { get; }

    /// <summary>Events the server stored (acknowledged).</summary>
    long SentCount { get; }

    /// <summary>Events given up after the server refused them or could not be reached in time.</summary>
    long FailedCount { get; }

    /// <summary>Raised on the background loop when a batch is given up.</summary>
    event EventHandler<EventTrackerSendFailedEventArgs>? SendFailed;

    /// <summary>Queues an event and returns at once; when the queue is full, an event is dropped (and counted).</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The event's data; do not change it after the call (the tracker never writes to it).</param>
    /// <param name="userId">The user the event belongs to.</param>
    void Track(string eventName, AIEventPayload? payload = null, string? userId = null);

    /// <summary>
    /// Queues an event; when the queue is full and the policy is <see cref="QueueFullPolicy.Wait"/>, waits for room
    /// instead of dropping, which gives batch and AI jobs back-pressure. Completes when the event is queued, not when
    /// it is sent (see <see cref="FlushAsync"/>).
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The event's data; do not change it after the call (the tracker never writes to it).</param>
    /// <param name="userId">The user the event belongs to.</param>
    /// <param name="cancellationToken">Stops waiting for room; the event is then not queued.</param>
    /// <returns>A task that completes when the event is queued.</returns>
    ValueTask TrackAsync(string eventName, AIEventPayload? payload = null, string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Sends everything queued before the call, and completes when it is stored or given up.</summary>
    /// <param name="cancellationToken">Stops waiting (the events stay queued).</param>
    /// <returns>A task that completes when the queued events are done.</returns>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
