using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Streams;

/// <summary>
/// One stream message: its stream id, for <c>event</c> messages the held event (for filtering), and its envelope
/// <c>{"type":…,"data":…}</c> as UTF-8 JSON, serialized once — by the first reader that needs it — and shared by
/// every reader.
/// </summary>
internal sealed class BroadcastMessage
{
    private byte[]? _json;
    private object? _serializing;

    /// <summary>An <c>event</c> message; its id is the event's sequence.</summary>
    public BroadcastMessage(EventRecord storedEvent)
    {
        Id = storedEvent.Sequence;
        Event = storedEvent;
    }

    public BroadcastMessage(long id, byte[] json)
    {
        Id = id;
        _json = json;
    }

    public long Id { get; }

    public EventRecord? Event { get; }

    // The readers an event goes to wake together; one serializes while the others wait for its bytes.
    public byte[] Json => LazyInitializer.EnsureInitialized(ref _json, ref _serializing, () => SerializeEvent(Event!));

    private static byte[] SerializeEvent(EventRecord storedEvent) =>
        Envelope.Serialize(StreamMessageTypes.Event, storedEvent.ToStoredEvent(), EventTrackerJsonContext.Default.StoredEvent);
}
