namespace EventTracker.Server.Storage;

/// <summary>
/// One held event. Strings that repeat across events (names, services, users, sessions, correlation ids)
/// are shared with the index keys, and the payload is kept as compact UTF-8 JSON.
/// </summary>
internal sealed class EventRecord
{
    public required long Sequence { get; init; }

    /// <summary>When the event happened (ms since the Unix epoch): what time ranges, ordering and analytics use.</summary>
    public required long Timestamp { get; init; }

    /// <summary>When the store received the event (ms since the Unix epoch): what retention by age uses.</summary>
    public required long ReceivedAt { get; init; }

    public required string Name { get; init; }

    public string? ServiceName { get; init; }

    public string? UserId { get; init; }

    public string? SessionId { get; init; }

    public string? CorrelationId { get; init; }

    public int? StatusCode { get; init; }

    public double? ResponseTimeMs { get; init; }

    public string? ClientEventId { get; init; }

    public string? UserAgent { get; init; }

    public string? Referrer { get; init; }

    public string? UserRole { get; init; }

    /// <summary>The payload as UTF-8 JSON, less the fields held above and the pooled text columns (see <see cref="PayloadCodec"/>).</summary>
    public required byte[] PayloadJson { get; init; }

    /// <summary>Whether the event counts as an error: status ≥ 400, or a name saying it failed.</summary>
    public bool IsError => StatusCode >= 400 || ErrorNames.IsErrorName(Name);
}
