using System.Diagnostics;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// An event waiting in the background queue; a struct so that queueing allocates nothing. It keeps when it was
/// tracked and the trace it was tracked in, so batching and retries do not move it in time or out of its trace.
/// </summary>
internal readonly record struct QueuedEvent(string Name, AIEventPayload? Payload, string? UserId, long TrackedAt, ActivityTraceId TraceId);
