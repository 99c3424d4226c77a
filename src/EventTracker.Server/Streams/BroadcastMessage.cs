using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Streams;

/// <summary>
/// One stream message: its stream id, for <c>event</c> messages the held event (for filtering), and its envelope
/// <c>{"type":…,"data":…}</c> as UTF-8 JSON, serialized once and shared by every reader. With readers connected, the
/// publisher serializes it before fanning out; with none, only a later resume (if any) pays for it.
/// </summary>
internal sealed class BroadcastMessage
{
    private readonly IEventStore? _store;
    private byte[]? _json;
    private object? _serializing;

    /// <param name="id">The stream id.</param>
    /// <param name="storedEvent">The event.</param>
    /// <param name="store">Where the event's public id comes from.</param>
    /// <param name="json">The envelope, when it was already serialized (see <see cref="SerializeEvent"/>).</param>
    public BroadcastMessage(long id, EventRecord storedEvent, IEventStore store, byte[]? json)
    {
        Id = id;
        Event = storedEvent;
        _store = store;
        _json = json;
    }

    public BroadcastMessage(long id, byte[] json)
    {
        Id = id;
        _json = json;
    }

    public long Id { get; }

    public EventRecord? Event { get; }

    // The readers an event goes to wake together; one serializes while the others wait for its bytes.
    public byte[] Json => LazyInitializer.EnsureInitialized(ref _json, ref _serializing, () => SerializeEvent(Event!, _store!));

    public static byte[] SerializeEvent(EventRecord storedEvent, IEventStore store) =>
        Envelope.Serialize(StreamMessageTypes.Event, storedEvent.ToStoredEvent(store), EventTrackerJsonContext.Default.StoredEvent);
}
