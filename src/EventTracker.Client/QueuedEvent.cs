using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>An event waiting in the background queue; a struct so that queueing allocates nothing.</summary>
internal readonly record struct QueuedEvent(string Name, AIEventPayload? Payload, string? UserId);
