using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Streams;

/// <summary>
/// One stream message: its stream id, for <c>event</c> messages the held event (for filtering), and its envelope
/// <c>{"type":…,"data":…}</c> as UTF-8 JSON. An event's envelope is serialized once, when a reader first needs it,
/// and shared by every reader; with no reader, ingestion never pays for it.
/// </summary>
internal sealed class BroadcastMessage
{
    private readonly IEventStore? _store;
    private byte[]? _json;

    public BroadcastMessage(long id, EventRecord storedEvent, IEventStore store)
    {
        Id = id;
        Event = storedEvent;
        _store = store;
    }

    public BroadcastMessage(long id, byte[] json)
    {
        Id = id;
        _json = json;
    }

    public long Id { get; }

    public EventRecord? Event { get; }

    // Two readers may race to serialize the same event; both produce the same bytes, so either result may win.
    public byte[] Json => _json ??= Envelope.Serialize(StreamMessageTypes.Event, Event!.ToStoredEvent(_store!), EventTrackerJsonContext.Default.StoredEvent);
}
