using System.Text.Json;

namespace EventTracker.Contracts;

/// <summary>
/// The envelope of every live-stream message (SSE and WebSocket):
/// <c>{"type":"event"|"insight"|"stats"|"ping"|"dropped", "data": …}</c>. Readers should ignore types they do not know.
/// </summary>
public sealed class StreamMessage
{
    /// <summary>The message type; see <see cref="StreamMessageTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The message data: a <see cref="StoredEvent"/> for <c>event</c>, statistics for <c>stats</c>, and so on.</summary>
    public JsonElement Data { get; init; }

    /// <summary>The event of an <c>event</c> message; null for other types.</summary>
    /// <returns>The stored event, or null.</returns>
    public StoredEvent? AsEvent() =>
        Type == StreamMessageTypes.Event ? Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent) : null;

    /// <summary>The insight of an <c>insight</c> message (a newly detected one); null for other types.</summary>
    /// <returns>The insight, or null.</returns>
    public AIInsight? AsInsight() =>
        Type == StreamMessageTypes.Insight ? Data.Deserialize(EventTrackerJsonContext.Default.AIInsight) : null;
}
