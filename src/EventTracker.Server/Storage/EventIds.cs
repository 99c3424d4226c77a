using System.Globalization;

namespace EventTracker.Server.Storage;

/// <summary>
/// Public event ids. An id is the event's store sequence number, which a durable store keeps across restarts
/// and which is also the event's id on the live streams.
/// </summary>
internal static class EventIds
{
    public static string Format(long sequence) => "evt-" + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The first sequence number of a store that holds nothing yet: the clock in thousandths of a millisecond, so ids
    /// of a new store never repeat those of an earlier one (a memory-only run, or a data directory started afresh).
    /// </summary>
    public static long FirstSequence(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}
