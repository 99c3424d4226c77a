using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>
/// Turns a payload into a <see cref="NewEvent"/>: the fields the store indexes or aggregates become columns, and so do
/// the repetitive text fields (user agent, referrer, role) through a <see cref="StringPool"/>; the rest stays as
/// compact UTF-8 JSON. <see cref="Decode"/> puts the columns back. Payloads are always written by the same
/// source-generated serializer, so the field order after decoding is the one encoding would give.
/// </summary>
internal sealed class PayloadCodec
{
    /// <summary>Distinct pooled text values kept by default: enough for real user agents, roles and referring sites.</summary>
    public const int DefaultPoolCapacity = 10_000;

    private readonly StringPool _pool;

    public PayloadCodec(int poolCapacity = DefaultPoolCapacity) => _pool = new StringPool(poolCapacity);

    /// <param name="name">The event name.</param>
    /// <param name="payload">The validated payload.</param>
    /// <param name="userId">The user, from the header or the payload.</param>
    /// <param name="clientEventId">The client's id for the event, for deduplication.</param>
    /// <param name="occurredAt">When the event happened, when the client said (its payload's <c>timestamp</c>).</param>
    public NewEvent ToNewEvent(string name, AIEventPayload payload, string? userId, string? clientEventId, long? occurredAt = null)
    {
        var userAgent = Pooled(payload.UserAgent);
        var referrer = Pooled(payload.Referrer);
        var userRole = Pooled(payload.UserRole);
        var rest = new AIEventPayload
        {
            UserAgent = userAgent is null ? payload.UserAgent : null,
            Referrer = referrer is null ? payload.Referrer : null,
            UserRole = userRole is null ? payload.UserRole : null,
            Metadata = payload.Metadata,
            AdditionalProperties = payload.AdditionalProperties,
        };
        return new NewEvent(name, payload.ServiceName, userId, payload.SessionId, payload.CorrelationId, payload.StatusCode, payload.ResponseTimeMs,
            clientEventId, JsonSerializer.SerializeToUtf8Bytes(rest, EventTrackerJsonContext.Default.AIEventPayload))
        {
            OccurredAt = occurredAt,
            UserAgent = userAgent,
            Referrer = referrer,
            UserRole = userRole,
        };
    }

    public static AIEventPayload Decode(EventRecord record)
    {
        var payload = JsonSerializer.Deserialize(record.PayloadJson, EventTrackerJsonContext.Default.AIEventPayload)!;
        payload.UserAgent ??= record.UserAgent;
        payload.Referrer ??= record.Referrer;
        payload.UserRole ??= record.UserRole;
        payload.ServiceName = record.ServiceName;
        payload.SessionId = record.SessionId;
        payload.CorrelationId = record.CorrelationId;
        payload.StatusCode = record.StatusCode;
        payload.ResponseTimeMs = record.ResponseTimeMs;
        return payload;
    }

    /// <summary>The pooled instance of <paramref name="value"/>; null when there is no value or the pool is full.</summary>
    private string? Pooled(string? value) => value is null ? null : _pool.TryIntern(value);
}
