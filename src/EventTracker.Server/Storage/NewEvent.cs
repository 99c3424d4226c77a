namespace EventTracker.Server.Storage;

/// <summary>A validated event on its way into the store; <see cref="PayloadCodec"/> makes it.</summary>
internal sealed record NewEvent(
    string Name,
    string? ServiceName,
    string? UserId,
    string? SessionId,
    string? CorrelationId,
    int? StatusCode,
    double? ResponseTimeMs,
    string? ClientEventId,
    byte[] PayloadJson)
{
    /// <summary>When the event happened, in milliseconds since the Unix epoch, if the client said; else it happened on arrival.</summary>
    public long? OccurredAt { get; init; }

    /// <summary>The pooled user agent, when it is kept as a column rather than in <see cref="PayloadJson"/>.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The pooled referrer, when it is kept as a column rather than in <see cref="PayloadJson"/>.</summary>
    public string? Referrer { get; init; }

    /// <summary>The pooled user role, when it is kept as a column rather than in <see cref="PayloadJson"/>.</summary>
    public string? UserRole { get; init; }
}
