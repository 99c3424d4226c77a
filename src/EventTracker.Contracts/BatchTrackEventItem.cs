using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>
/// One event of a batch. Members other than these three are refused when read, not dropped: the event's data,
/// <c>userId</c> and <c>timestamp</c> included, goes in <see cref="Payload"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BatchTrackEventItem
{
    /// <summary>The event name.</summary>
    public string EventName { get; set; } = string.Empty;

    /// <summary>Optional client-made event id; an id seen before is acknowledged and not stored twice.</summary>
    public string? EventId { get; set; }

    /// <summary>The event's data.</summary>
    public AIEventPayload? Payload { get; set; }
}
