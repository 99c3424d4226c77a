using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>An event as the server stores and returns it.</summary>
public sealed class StoredEvent
{
    /// <summary>Unique event identifier, assigned by the server.</summary>
    public required string Id { get; init; }

    /// <summary>Event name, such as <c>user-login</c>.</summary>
    public required string Name { get; init; }

    /// <summary>User identifier; <see langword="null"/> for system events.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? UserId { get; init; }

    /// <summary>The service that emitted the event; <see langword="null"/> when the payload named none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ServiceName { get; init; }

    /// <summary>The event's data as the client sent it.</summary>
    public required AIEventPayload Payload { get; init; }

    /// <summary>Server time of ingestion, in milliseconds since the Unix epoch.</summary>
    public long Timestamp { get; init; }
}
