using EventTracker.Contracts;

namespace EventTracker.Client.Testing;

/// <summary>
/// An <see cref="IEventTracker"/> for your own unit tests: it sends nothing and records every
/// <see cref="Track"/> call, so a test can assert on what its code tracked without a server. Register it in place
/// of the real tracker (<c>services.AddSingleton&lt;IEventTracker, RecordingEventTracker&gt;()</c>) or pass it in.
/// Thread-safe.
/// </summary>
public sealed class RecordingEventTracker : IEventTracker
{
    private readonly Lock _gate = new();
    private readonly List<TrackedEvent> _events = [];
    private readonly string? _defaultServiceName;
    private readonly TimeProvider _time;

    /// <summary>A recorder that stamps <paramref name="defaultServiceName"/> on payloads without a service, as the real tracker does.</summary>
    /// <param name="defaultServiceName">The service stamped on events that name none; none when null.</param>
    /// <param name="timeProvider">The clock for <see cref="TrackedEvent.TrackedAt"/>; the system clock when null.</param>
    public RecordingEventTracker(string? defaultServiceName = null, TimeProvider? timeProvider = null)
    {
        _defaultServiceName = defaultServiceName;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Never raised: nothing is sent.</summary>
    public event EventHandler<EventTrackerSendFailedEventArgs>? SendFailed
    {
        add { }
        remove { }
    }

    /// <summary>Always 0: nothing is dropped.</summary>
    public long DroppedCount => 0;

    /// <summary>How many events were recorded (the real tracker counts those the server stored).</summary>
    public long SentCount
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>Always 0: nothing fails.</summary>
    public long FailedCount => 0;

    /// <summary>Every event recorded so far, in the order tracked (a copy).</summary>
    public IReadOnlyList<TrackedEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    /// <summary>Whether <see cref="DisposeAsync"/> was called.</summary>
    public bool Disposed { get; private set; }

    /// <summary>Records the event.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The event's data.</param>
    /// <param name="userId">The user the event belongs to.</param>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> is null or empty, as the real tracker refuses it.</exception>
    public void Track(string eventName, AIEventPayload? payload = null, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var recorded = payload?.Clone() ?? new AIEventPayload(); // as the real tracker, never writes to the caller's payload
        recorded.ServiceName ??= _defaultServiceName;
        lock (_gate)
        {
            _events.Add(new TrackedEvent(eventName, recorded, userId, _time.GetUtcNow()));
        }
    }

    /// <summary>Records the event, as <see cref="Track"/>; there is never a full queue to wait for.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="payload">The event's data.</param>
    /// <param name="userId">The user the event belongs to.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> is null or empty, as the real tracker refuses it.</exception>
    public ValueTask TrackAsync(string eventName, AIEventPayload? payload = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        Track(eventName, payload, userId);
        return default; // a completed task
    }

    /// <summary>The events named <paramref name="eventName"/>, in the order tracked.</summary>
    /// <param name="eventName">The event name.</param>
    /// <returns>The matching events (a copy).</returns>
    public IReadOnlyList<TrackedEvent> Named(string eventName) => Events.Where(e => e.Name == eventName).ToList();

    /// <summary>The one event named <paramref name="eventName"/>.</summary>
    /// <param name="eventName">The event name.</param>
    /// <returns>The event.</returns>
    /// <exception cref="InvalidOperationException">None or more than one was tracked; the message lists what was.</exception>
    public TrackedEvent OnlyOne(string eventName)
    {
        var events = Events;
        var named = events.Where(e => e.Name == eventName).ToList();
        return named.Count == 1
            ? named[0]
            : throw new InvalidOperationException(
                $"Expected one '{eventName}' event, found {named.Count}. Tracked: {(events.Count == 0 ? "nothing" : string.Join(", ", events.Select(e => e.Name)))}.");
    }

    /// <summary>Forgets everything recorded.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _events.Clear();
        }
    }

    /// <summary>Completes at once: recorded events need no sending.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Marks the recorder disposed; the events stay readable.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return default; // a completed task
    }
}
