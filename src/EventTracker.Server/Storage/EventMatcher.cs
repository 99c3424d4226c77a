using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>Whether a held event passes an <see cref="EventFilter"/>: the one definition queries and streams share.</summary>
internal static class EventMatcher
{
    public static bool Matches(this EventFilter filter, EventRecord record) =>
        Same(filter.ServiceName, record.ServiceName)
        && Same(filter.EventName, record.Name)
        && Same(filter.UserId, record.UserId)
        && Same(filter.CorrelationId, record.CorrelationId)
        && Same(filter.SessionId, record.SessionId)
        && (filter.Type is null || record.Name.Contains(filter.Type, StringComparison.OrdinalIgnoreCase));

    private static bool Same(string? wanted, string? actual) => wanted is null || string.Equals(wanted, actual, StringComparison.Ordinal);
}
