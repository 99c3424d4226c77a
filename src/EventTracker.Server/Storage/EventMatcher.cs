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
        && (filter.Type is null || record.Name.Contains(filter.Type, StringComparison.OrdinalIgnoreCase))
        && (filter.ErrorsOnly != true || record.IsError)
        && (filter.StatusClass is not { } statusClass || record.StatusCode / 100 == statusClass);

    /// <summary>Whether <paramref name="filter"/> has a condition no index of the held events answers, so each candidate is tested.</summary>
    public static bool TestsEachEvent(this EventFilter filter) => filter.ErrorsOnly == true || filter.StatusClass is not null;

    private static bool Same(string? wanted, string? actual) => wanted is null || string.Equals(wanted, actual, StringComparison.Ordinal);
}
