using System.Diagnostics;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// An event waiting in the background queue; a struct so that queueing allocates nothing. It keeps when it was
/// tracked and the trace it was tracked in, so batching and retries do not move it in time or out of its trace, and
/// roughly how much memory it holds, which the queue's byte limit counts.
/// </summary>
internal readonly record struct QueuedEvent(string Name, AIEventPayload? Payload, string? UserId, long TrackedAt, ActivityTraceId TraceId, int Size)
{
    // The entry, the payload object and what its JSON adds; each metadata or extra property counts this much more.
    private const int EventOverhead = 256;
    private const int PropertyOverhead = 64;

    /// <summary>
    /// About what an event holds in memory until it is sent, from its text lengths and property counts: cheap enough
    /// for the caller's thread, without walking or serializing the payload.
    /// </summary>
    public static int EstimateSize(string name, AIEventPayload? payload, string? userId)
    {
        var chars = name.Length + (userId?.Length ?? 0);
        var size = EventOverhead;
        if (payload is not null)
        {
            chars += (payload.UserAgent?.Length ?? 0) + (payload.Referrer?.Length ?? 0) + (payload.SessionId?.Length ?? 0)
                + (payload.UserRole?.Length ?? 0) + (payload.CorrelationId?.Length ?? 0) + (payload.ServiceName?.Length ?? 0);
            size += ((payload.Metadata?.Count ?? 0) + (payload.AdditionalProperties?.Count ?? 0)) * PropertyOverhead;
        }

        return size + (2 * chars);
    }
}
