namespace EventTracker.Server.Storage;

/// <summary>A validated event on its way into the store.</summary>
internal sealed record NewEvent(
    string Name,
    string? ServiceName,
    string? UserId,
    string? SessionId,
    string? CorrelationId,
    int? StatusCode,
    double? ResponseTimeMs,
    string? ClientEventId,
    byte[] PayloadJson);
