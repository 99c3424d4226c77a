using System.Diagnostics.CodeAnalysis;
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
    public StoredEvent? AsEvent() => TryGetEvent(out var storedEvent) ? storedEvent : null;

    /// <summary>Reads the event of an <c>event</c> message.</summary>
    /// <param name="storedEvent">The event, when this is an <c>event</c> message.</param>
    /// <returns>Whether this is an <c>event</c> message.</returns>
    public bool TryGetEvent([NotNullWhen(true)] out StoredEvent? storedEvent)
    {
        storedEvent = Type == StreamMessageTypes.Event ? Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent) : null;
        return storedEvent is not null;
    }

    /// <summary>Reads the insight of an <c>insight</c> message (a newly detected one).</summary>
    /// <param name="insight">The insight, when this is an <c>insight</c> message.</param>
    /// <returns>Whether this is an <c>insight</c> message.</returns>
    public bool TryGetInsight([NotNullWhen(true)] out AIInsight? insight)
    {
        insight = Type == StreamMessageTypes.Insight ? Data.Deserialize(EventTrackerJsonContext.Default.AIInsight) : null;
        return insight is not null;
    }

    /// <summary>Reads the figures of a <c>stats</c> message.</summary>
    /// <param name="stats">The figures, when this is a <c>stats</c> message.</param>
    /// <returns>Whether this is a <c>stats</c> message.</returns>
    public bool TryGetStats([NotNullWhen(true)] out StreamStats? stats)
    {
        stats = Type == StreamMessageTypes.Stats ? Data.Deserialize(EventTrackerJsonContext.Default.StreamStats) : null;
        return stats is not null;
    }

    /// <summary>The insight of an <c>insight</c> message (a newly detected one); null for other types.</summary>
    /// <returns>The insight, or null.</returns>
    public AIInsight? AsInsight() => TryGetInsight(out var insight) ? insight : null;
}
