namespace EventTracker.Server.Storage;

/// <summary>
/// Where an event stands in time order: by when it happened, then by sequence (arrival) among events of the same
/// millisecond. Queries return events by descending position, and the paging cursor is a position.
/// </summary>
internal readonly record struct EventPosition(long Timestamp, long Sequence) : IComparable<EventPosition>
{
    public static EventPosition Of(EventRecord record) => new(record.Timestamp, record.Sequence);

    /// <summary>Before every event stamped at or after <paramref name="timestamp"/>.</summary>
    public static EventPosition First(long timestamp) => new(timestamp, long.MinValue);

    public int CompareTo(EventPosition other)
    {
        var byTime = Timestamp.CompareTo(other.Timestamp);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(EventPosition left, EventPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(EventPosition left, EventPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventPosition left, EventPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventPosition left, EventPosition right) => left.CompareTo(right) >= 0;
}
