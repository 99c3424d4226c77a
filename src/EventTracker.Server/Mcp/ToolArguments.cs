using EventTracker.Contracts;
using EventTracker.Server.Http;
using EventTracker.Server.Queries;
using EventTracker.Server.Validation;
using ModelContextProtocol;

namespace EventTracker.Server.Mcp;

/// <summary>
/// Reads MCP tool arguments with the same rules as the REST parameters; a bad one is a tool error that names it
/// (<see cref="McpException"/>), which the agent sees and can correct.
/// </summary>
internal static class ToolArguments
{
    /// <summary>The checked filter; an unset filter matches every event.</summary>
    public static EventFilter Filter(EventFilter? filter)
    {
        filter ??= new EventFilter();
        var errors = new ValidationErrors();
        EventFilterFields.Validate(filter, errors, "filter.");
        ThrowIfAny(errors);
        return filter;
    }

    /// <summary>A time argument: ISO 8601, milliseconds since the epoch, or a span back from now such as <c>1h</c>.</summary>
    public static long? Time(string? value, string name, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return TimeParameter.TryParse(value, now, out var milliseconds)
            ? milliseconds
            : throw new McpException($"Argument '{name}': '{JsonRpcError.Quote(value)}' is not {TimeParameter.Forms}.");
    }

    /// <summary>Both ends of a range, in order.</summary>
    public static (long? From, long? To) Range(string? from, string? to, DateTimeOffset now)
    {
        var start = Time(from, "from", now);
        var end = Time(to, "to", now);
        return start > end ? throw new McpException("Argument 'to': must not be earlier than 'from'.") : (start, end);
    }

    /// <summary>A span such as <c>15m</c> or <c>1h</c>, at least a minute and at most 30 days.</summary>
    public static TimeSpan Window(string value, string name)
    {
        if (!TimeParameter.TryParseRelative(value, out var span))
        {
            throw new McpException($"Argument '{name}': '{JsonRpcError.Quote(value)}' is not a span such as 15m, 1h or 7d.");
        }

        return span < TimeSpan.FromMinutes(1) || span > TimeSpan.FromDays(30)
            ? throw new McpException($"Argument '{name}': must be between 1m and 30d.")
            : span;
    }

    /// <summary>A page size, read as the REST API reads one: negative is an error, anything else is brought into 1 … <paramref name="max"/>.</summary>
    public static int Limit(int value, string name, int max) =>
        PageLimit.Read(value, 1, max) ?? throw new McpException($"Argument '{name}': {PageLimit.Negative}");

    /// <summary>A required identifier such as a service name or a correlation id.</summary>
    public static string Identifier(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new McpException($"Argument '{name}': is required.");
        }

        var errors = new ValidationErrors();
        EventValidation.ValidateIdentifier(value, name, errors, EventValidation.MaxNameLength);
        ThrowIfAny(errors);
        return value;
    }

    private static void ThrowIfAny(ValidationErrors errors)
    {
        if (errors.Any)
        {
            throw new McpException(string.Join(" ", errors.ToDictionary().Select(e => $"Argument '{e.Key}': {string.Join(" ", e.Value)}")));
        }
    }
}
