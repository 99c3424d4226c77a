using System.Text.Json;

namespace EventTracker.Contracts;

/// <summary>
/// The envelope of every live-stream message (SSE and WebSocket):
/// <c>{"type":"event"|"stats"|"ping"|"dropped", "data": …}</c>.
/// </summary>
public sealed class StreamMessage
{
    /// <summary>The message type; see <see cref="StreamMessageTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The message data: a <see cref="StoredEvent"/> for <c>event</c>, statistics for <c>stats</c>, and so on.</summary>
    public JsonElement Data { get; init; }
}
