using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>Turns held records back into the API's <see cref="StoredEvent"/>.</summary>
internal static class StoredEventMapper
{
    public static StoredEvent ToStoredEvent(this EventRecord record) => new()
    {
        Id = EventIds.Format(record.Sequence),
        Name = record.Name,
        UserId = record.UserId,
        ServiceName = record.ServiceName,
        Payload = PayloadCodec.Decode(record),
        Timestamp = record.Timestamp,
        ReceivedAt = record.ReceivedAt != record.Timestamp ? record.ReceivedAt : null,
    };
}
