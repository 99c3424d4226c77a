using EventTracker.Contracts;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Queries;

/// <summary>
/// The fields of an <see cref="EventFilter"/> as every way in names them (query parameters of REST and SSE, WebSocket
/// filter messages, MCP tool arguments), each read and checked the same way: defined once, here.
/// </summary>
internal static class EventFilterFields
{
    /// <summary>One filter field.</summary>
    /// <param name="Name">Its name as a query parameter and MCP argument.</param>
    /// <param name="MessageName">Its name in a WebSocket filter message, where <c>type</c> names the message itself.</param>
    /// <param name="Get">Reads it from a filter.</param>
    /// <param name="With">A copy of a filter with it set.</param>
    internal sealed record Field(string Name, string MessageName, Func<EventFilter, string?> Get, Func<EventFilter, string, EventFilter> With);

    public static IReadOnlyList<Field> All { get; } =
    [
        new("serviceName", "serviceName", f => f.ServiceName, (f, v) => f with { ServiceName = v }),
        new("eventName", "eventName", f => f.EventName, (f, v) => f with { EventName = v }),
        new("type", "eventType", f => f.Type, (f, v) => f with { Type = v }),
        new("userId", "userId", f => f.UserId, (f, v) => f with { UserId = v }),
        new("correlationId", "correlationId", f => f.CorrelationId, (f, v) => f with { CorrelationId = v }),
        new("sessionId", "sessionId", f => f.SessionId, (f, v) => f with { SessionId = v }),
    ];

    /// <summary>A filter from the values <paramref name="valueOf"/> finds (null or empty: no condition).</summary>
    public static EventFilter Read(Func<Field, string?> valueOf)
    {
        var filter = new EventFilter();
        foreach (var field in All)
        {
            if (valueOf(field) is { Length: > 0 } value)
            {
                filter = field.With(filter, value);
            }
        }

        return filter;
    }

    /// <summary>Checks every set field of <paramref name="filter"/> as an identifier, naming it with <paramref name="prefix"/>.</summary>
    public static void Validate(EventFilter filter, ValidationErrors errors, string prefix = "")
    {
        foreach (var field in All)
        {
            EventValidation.ValidateIdentifier(field.Get(filter), prefix + field.Name, errors, EventValidation.MaxNameLength);
        }
    }
}
