namespace EventTracker.Server.Streams;

/// <summary>
/// One stream message, serialized once and shared by every reader: its stream id, its envelope
/// <c>{"type":…,"data":…}</c> as UTF-8 JSON, and for <c>event</c> messages the held event, for filtering.
/// </summary>
internal sealed record BroadcastMessage(long Id, Storage.EventRecord? Event, byte[] Json);
