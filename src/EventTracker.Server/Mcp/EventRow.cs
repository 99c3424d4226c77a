using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Mcp;

/// <summary>One event as an agent reads it: the fields that explain it, nothing that floods a context window.</summary>
/// <remarks>Names as in the REST API's events (<c>statusCode</c> is the payload's); <c>time</c> is the event's <c>timestamp</c> as an ISO 8601 time.</remarks>
internal sealed record EventRow(
    string Id, DateTimeOffset Time, string Name, string? ServiceName, int? StatusCode, double? ResponseTimeMs, string? UserId, string? CorrelationId, bool IsError)
{
    public static EventRow From(StoredEvent e) => new(
        e.Id,
        DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp),
        e.Name,
        e.ServiceName,
        e.Payload.StatusCode,
        e.Payload.ResponseTimeMs,
        e.UserId,
        e.Payload.CorrelationId,
        ErrorNames.IsError(e.Payload.StatusCode, e.Name));
}
