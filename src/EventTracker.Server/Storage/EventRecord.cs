namespace EventTracker.Server.Storage;

/// <summary>
/// One held event. Strings that repeat across events (names, services, users, sessions, correlation ids) are shared
/// with the index keys, the repetitive text columns with other events through <see cref="TextColumns"/>, and the
/// payload is kept as compact UTF-8 JSON. Optional numbers are kept without nullable wrappers: a million of these
/// are held at once.
/// </summary>
internal sealed class EventRecord
{
    private readonly double _responseTimeMs = double.NaN;
    private readonly short _statusCode = -1;

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

    /// <summary>The HTTP-like status, 0 to 999, if the event has one.</summary>
    public int? StatusCode
    {
        get => _statusCode < 0 ? null : _statusCode;
        init => _statusCode = (short)(value ?? -1);
    }

    public double? ResponseTimeMs
    {
        get => double.IsNaN(_responseTimeMs) ? null : _responseTimeMs;
        init => _responseTimeMs = value ?? double.NaN;
    }

    public string? ClientEventId { get; init; }

    /// <summary>The pooled user agent, referrer and role, when they were kept as columns.</summary>
    public TextColumns? Text { get; init; }

    public string? UserAgent => Text?.UserAgent;

    public string? Referrer => Text?.Referrer;

    public string? UserRole => Text?.UserRole;

    /// <summary>The payload as UTF-8 JSON, less the fields held above and the pooled text columns (see <see cref="PayloadCodec"/>).</summary>
    public required byte[] PayloadJson { get; init; }

    /// <summary>Whether the event counts as an error: status ≥ 400, or a name saying it failed.</summary>
    public bool IsError => ErrorNames.IsError(StatusCode, Name);
}
