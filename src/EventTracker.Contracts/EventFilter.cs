using System.Globalization;

namespace EventTracker.Contracts;

/// <summary>
/// Which events to select. The same filter means the same thing for <c>GET /api/events</c>,
/// the live streams and the client's queries; every set field must match. A record: <c>filter with { UserId = "u1" }</c>
/// copies it with a change, so no caller lists the fields by hand.
/// </summary>
public record EventFilter
{
    /// <summary>Exact service name.</summary>
    public string? ServiceName { get; init; }

    /// <summary>Exact event name.</summary>
    public string? EventName { get; init; }

    /// <summary>Case-insensitive part of the event name.</summary>
    public string? Type { get; init; }

    /// <summary>Exact user identifier.</summary>
    public string? UserId { get; init; }

    /// <summary>Exact correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Exact session id.</summary>
    public string? SessionId { get; init; }

    /// <summary>
    /// <see langword="true"/>: only errors, events whose <c>statusCode</c> is 400 or more or whose name says they failed
    /// (contains <c>error</c>, <c>fail</c> or <c>exception</c>). <see langword="false"/> or null: no condition.
    /// </summary>
    public bool? ErrorsOnly { get; init; }

    /// <summary>Only events whose <c>statusCode</c> is in this class: 1 to 5 for 1xx to 5xx (<c>statusCode / 100</c>).</summary>
    public int? StatusClass { get; init; }

    /// <summary>
    /// The set fields as the API names them (the query parameters of <c>GET /api/events</c> and the SSE stream, the
    /// arguments of the MCP tools); a WebSocket filter message names <c>type</c> <c>eventType</c> instead.
    /// </summary>
    /// <returns>Name and value of each field that is set, in a fixed order.</returns>
    public IEnumerable<KeyValuePair<string, string>> ToParameters()
    {
        (string Name, string? Value)[] fields =
        [
            ("serviceName", ServiceName), ("eventName", EventName), ("type", Type), ("userId", UserId), ("correlationId", CorrelationId), ("sessionId", SessionId),
            ("errorsOnly", ErrorsOnly == true ? "true" : null),
            ("statusClass", StatusClass is { } statusClass ? statusClass.ToString(CultureInfo.InvariantCulture) + "xx" : null),
        ];
        foreach (var (name, value) in fields)
        {
            if (value is { Length: > 0 })
            {
                yield return new KeyValuePair<string, string>(name, value);
            }
        }
    }
}
