using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Queries;

/// <summary>
/// The fields of an <see cref="EventFilter"/> as every way in names them (query parameters of REST and SSE, WebSocket
/// filter messages, MCP tool arguments), each read and checked the same way: defined once, here.
/// </summary>
internal static class EventFilterFields
{
    /// <summary>What a bad <c>statusClass</c> is told.</summary>
    public const string StatusClassProblem = "Must be one of 1xx, 2xx, 3xx, 4xx, 5xx.";

    /// <summary>One filter field.</summary>
    /// <param name="Name">Its name as a query parameter and MCP argument.</param>
    /// <param name="MessageName">Its name in a WebSocket filter message, where <c>type</c> names the message itself.</param>
    /// <param name="Text">Its value in a filter as the API writes it (as <see cref="EventFilter.ToParameters"/> does); null when it sets no condition.</param>
    /// <param name="Read">
    /// A copy of a filter with the field read from text; a bad value adds a problem under the name given (and sets nothing
    /// a query could run with).
    /// </param>
    /// <param name="TakesJsonLiterals">Whether a WebSocket message may also give it as JSON <c>true</c>, <c>false</c> or a number.</param>
    internal sealed record Field(
        string Name, string MessageName, Func<EventFilter, string?> Text, Func<EventFilter, string, ValidationErrors, string, EventFilter> Read, bool TakesJsonLiterals = false);

    public static IReadOnlyList<Field> All { get; } =
    [
        Identifier("serviceName", "serviceName", f => f.ServiceName, (f, v) => f with { ServiceName = v }),
        Identifier("eventName", "eventName", f => f.EventName, (f, v) => f with { EventName = v }),
        Identifier("type", "eventType", f => f.Type, (f, v) => f with { Type = v }),
        Identifier("userId", "userId", f => f.UserId, (f, v) => f with { UserId = v }),
        Identifier("correlationId", "correlationId", f => f.CorrelationId, (f, v) => f with { CorrelationId = v }),
        Identifier("sessionId", "sessionId", f => f.SessionId, (f, v) => f with { SessionId = v }),
        new("errorsOnly", "errorsOnly", f => f.ErrorsOnly == true ? "true" : null, ReadErrorsOnly, TakesJsonLiterals: true),
        new("statusClass", "statusClass", f => f.StatusClass is { } c ? c.ToString(CultureInfo.InvariantCulture) + "xx" : null, ReadStatusClass, TakesJsonLiterals: true),
    ];

    /// <summary>
    /// A filter from the values <paramref name="valueOf"/> finds (null or empty: no condition); a bad value adds a problem
    /// to <paramref name="errors"/> under the name <paramref name="nameOf"/> gives its field.
    /// </summary>
    public static EventFilter Read(Func<Field, string?> valueOf, ValidationErrors errors, Func<Field, string> nameOf)
    {
        var filter = new EventFilter();
        foreach (var field in All)
        {
            if (valueOf(field) is { Length: > 0 } value)
            {
                filter = field.Read(filter, value, errors, nameOf(field));
            }
        }

        return filter;
    }

    /// <summary>Checks every set field of a filter that arrived whole (an MCP argument) as if it had come as text, naming it with <paramref name="prefix"/>.</summary>
    public static void Validate(EventFilter filter, ValidationErrors errors, string prefix = "")
    {
        foreach (var field in All)
        {
            if (field.Text(filter) is { } text)
            {
                field.Read(filter, text, errors, prefix + field.Name);
            }
        }
    }

    /// <summary>Whether <paramref name="filter"/> sets a condition other than the service: one the analytics rollups do not keep apart.</summary>
    public static bool NarrowsWithinServices(EventFilter filter) =>
        All.Any(field => field.Name != "serviceName" && field.Text(filter) is not null);

    private static Field Identifier(string name, string messageName, Func<EventFilter, string?> get, Func<EventFilter, string, EventFilter> with) =>
        new(name, messageName, get, (filter, value, errors, field) =>
        {
            EventValidation.ValidateIdentifier(value, field, errors, EventValidation.MaxNameLength);
            return with(filter, value);
        });

    // false is no condition, as absent is: the filter keeps null, so every reader sees one meaning.
    private static EventFilter ReadErrorsOnly(EventFilter filter, string value, ValidationErrors errors, string field)
    {
        if (bool.TryParse(value, out var errorsOnly))
        {
            return filter with { ErrorsOnly = errorsOnly ? true : null };
        }

        errors.Add(field, "Must be true or false.");
        return filter;
    }

    private static EventFilter ReadStatusClass(EventFilter filter, string value, ValidationErrors errors, string field)
    {
        var digit = value.EndsWith("xx", StringComparison.OrdinalIgnoreCase) ? value[..^2] : value;
        if (digit is [>= '1' and <= '5'])
        {
            return filter with { StatusClass = digit[0] - '0' };
        }

        errors.Add(field, StatusClassProblem);
        return filter;
    }
}
