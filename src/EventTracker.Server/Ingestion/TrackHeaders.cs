using EventTracker.Server.Validation;

namespace EventTracker.Server.Ingestion;

/// <summary>The optional headers that enrich tracked events.</summary>
internal sealed record TrackHeaders(string? UserId, string? SessionId, string? CorrelationId, string? EventId)
{
    /// <summary>
    /// Who sent the events: the name of the API key they came with, or null when anonymous. Client event ids and batch
    /// ids are scoped to it, so one sender cannot suppress another's events by reusing its ids.
    /// </summary>
    public string? Sender { get; init; }

    /// <summary>Reads <c>X-User-Id</c>, <c>X-Session-Id</c>, <c>X-Correlation-Id</c> and <c>Idempotency-Key</c> (or <c>X-Event-Id</c>).</summary>
    public static TrackHeaders Read(IHeaderDictionary headers, ValidationErrors errors)
    {
        return new TrackHeaders(
            Header("X-User-Id"),
            Header("X-Session-Id"),
            Header("X-Correlation-Id"),
            Header("Idempotency-Key") ?? Header("X-Event-Id"));

        string? Header(string name)
        {
            var value = headers[name].ToString();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            EventValidation.ValidateIdentifier(value, name, errors);
            return value;
        }
    }
}
