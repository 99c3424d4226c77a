namespace EventTracker.Contracts;

/// <summary>
/// Which events to select. The same filter means the same thing for <c>GET /api/events</c>,
/// the live streams and the client's queries; every set field must match.
/// </summary>
public class EventFilter
{
    /// <summary>Exact service name.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Exact event name.</summary>
    public string? EventName { get; set; }

    /// <summary>Case-insensitive part of the event name.</summary>
    public string? Type { get; set; }

    /// <summary>Exact user identifier.</summary>
    public string? UserId { get; set; }

    /// <summary>Exact correlation id.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>Exact session id.</summary>
    public string? SessionId { get; set; }
}
