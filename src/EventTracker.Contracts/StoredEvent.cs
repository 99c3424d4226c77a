using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>An event as the server stores and returns it.</summary>
public sealed class StoredEvent
{
    /// <summary>Unique event identifier, assigned by the server.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>Event name, such as <c>user-login</c>.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>User identifier; <see langword="null"/> for system events.</summary>
    [JsonPropertyName("userId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? UserId { get; init; }

    /// <summary>The service that emitted the event; <see langword="null"/> when the payload named none.</summary>
    [JsonPropertyName("serviceName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ServiceName { get; init; }

    /// <summary>The event's data as the client sent it.</summary>
    [JsonPropertyName("payload")]
    public required AIEventPayload Payload { get; init; }

    /// <summary>
    /// When the event happened, in milliseconds since the Unix epoch: the payload's <c>timestamp</c> when the client sent
    /// one, otherwise the time the server received it.
    /// </summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }

    /// <summary>
    /// When the server received the event, in milliseconds since the Unix epoch, when that differs from
    /// <see cref="Timestamp"/> (the client gave the event's own time); otherwise <see langword="null"/> and omitted.
    /// </summary>
    [JsonPropertyName("receivedAt")]
    public long? ReceivedAt { get; init; }
}
