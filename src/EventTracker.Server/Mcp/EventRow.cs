using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Mcp;

/// <summary>One event as an agent reads it: the fields that explain it, nothing that floods a context window.</summary>
internal sealed record EventRow(
    string Id, string Time, string Name, string? Service, int? Status, double? ResponseTimeMs, string? UserId, string? CorrelationId, bool IsError)
{
    public static EventRow From(StoredEvent e) => new(
        e.Id,
        DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        e.Name,
        e.ServiceName,
        e.Payload.StatusCode,
        e.Payload.ResponseTimeMs,
        e.UserId,
        e.Payload.CorrelationId,
        e.Payload.StatusCode >= 400 || ErrorNames.IsErrorName(e.Name));
}
