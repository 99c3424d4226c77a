using EventTracker.Contracts;

namespace EventTracker.Client.Testing;

/// <summary>One call of <see cref="IEventTracker.Track"/> as <see cref="RecordingEventTracker"/> recorded it.</summary>
/// <param name="Name">The event name.</param>
/// <param name="Payload">The payload passed (with the default service stamped when it had none), never null.</param>
/// <param name="UserId">The user passed, if any.</param>
/// <param name="TrackedAt">When <see cref="IEventTracker.Track"/> was called, by the recorder's clock.</param>
public sealed record TrackedEvent(string Name, AIEventPayload Payload, string? UserId, DateTimeOffset TrackedAt);
