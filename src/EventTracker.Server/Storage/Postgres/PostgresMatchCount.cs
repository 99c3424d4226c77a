using EventTracker.Contracts;
using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// How many events a query matches, and their services, without visiting every match: when the filter is about
/// services and names only, whole days come from the daily rollup, whole hours at the range's ends from the hourly
/// one, whole minutes at its ends from the per-minute one (per service alone when no name is asked for), and only the
/// partial minutes at its very ends from the events. The rollups are written in the transaction that stores their
/// events, and the one statement reads them in one snapshot, so the count is exact.
/// A filter on a user, session or correlation id matches few events, which its index counts directly (the index carries
/// the service); one on errors or the status class is not kept apart by the rollups, so its matches are counted from the
/// events too.
/// </summary>
internal static class PostgresMatchCount
{
    /// <summary>A statement answering one row: the number of matches and the array of their distinct services.</summary>
    public static NpgsqlBatchCommand Command(EventFilter filter, long from, long to)
    {
        var conditions = new PostgresConditions(filter, from, to);
        if (filter.UserId is not null || filter.SessionId is not null || filter.CorrelationId is not null || filter.TestsEachEvent())
        {
            return conditions.Command(
                $"SELECT count(*), array_agg(DISTINCT service_name) FILTER (WHERE service_name IS NOT NULL) FROM eventtracker.events WHERE {conditions.Where}");
        }

        var split = Split(from, to);
        var minutes = filter.EventName is null && filter.Type is null ? "rollup_services" : "rollup_names";
        var rollups = conditions.RollupWhere(filter);
        var (m1, h1, d1, d2, h2, m2) = (
            conditions.Next(split.MinutesFrom), conditions.Next(split.HoursFrom), conditions.Next(split.DaysFrom),
            conditions.Next(split.DaysTo), conditions.Next(split.HoursTo), conditions.Next(split.MinutesTo));
        return conditions.Command(
            "SELECT coalesce(sum(matched.count), 0)::bigint, array_agg(DISTINCT matched.service) FILTER (WHERE matched.service <> '') FROM ("
            + $"SELECT count, service FROM eventtracker.rollup_days WHERE bucket >= {d1} AND bucket < {d2} AND {rollups} "
            + $"UNION ALL SELECT count, service FROM eventtracker.rollup_hours WHERE (bucket >= {h1} AND bucket < {d1} OR bucket >= {d2} AND bucket < {h2}) AND {rollups} "
            + $"UNION ALL SELECT count, service FROM eventtracker.{minutes} WHERE (bucket >= {m1} AND bucket < {h1} OR bucket >= {h2} AND bucket < {m2}) AND {rollups} "
            + $"UNION ALL SELECT 1, coalesce(service_name, '') FROM eventtracker.events WHERE {conditions.Where} AND (ts < {m1} OR ts >= {m2})"
            + ") matched");
    }

    /// <summary>
    /// Splits [<paramref name="from"/>, <paramref name="to"/>] into whole minutes [m1, m2), whole hours [h1, h2) inside
    /// them and whole days [d1, d2) inside those; what lies outside [m1, m2) is counted from the events. An open end
    /// stays open (<see cref="long.MinValue"/>, <see cref="long.MaxValue"/>).
    /// </summary>
    internal static RangeSplit Split(long from, long to)
    {
        var minutesFrom = Ceiling(from, PostgresRollups.BucketMs);
        var minutesTo = to == long.MaxValue ? long.MaxValue : Floor(to + 1, PostgresRollups.BucketMs);
        if (minutesFrom >= minutesTo)
        {
            // Less than a whole minute: every match is counted from the events.
            return new RangeSplit(long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue);
        }

        var (hoursFrom, hoursTo) = Inside(minutesFrom, minutesTo, PostgresRollups.HourMs);
        var (daysFrom, daysTo) = Inside(hoursFrom, hoursTo, PostgresRollups.DayMs);
        return new RangeSplit(minutesFrom, hoursFrom, daysFrom, daysTo, hoursTo, minutesTo);
    }

    /// <summary>A range cut into whole days inside whole hours inside whole minutes (see <see cref="Split"/>).</summary>
    internal readonly record struct RangeSplit(long MinutesFrom, long HoursFrom, long DaysFrom, long DaysTo, long HoursTo, long MinutesTo);

    // The whole buckets of a width inside [from, to); an empty range at `to` when there are none.
    private static (long From, long To) Inside(long from, long to, long width)
    {
        var inner = Ceiling(from, width);
        var outer = to == long.MaxValue ? long.MaxValue : Floor(to, width);
        return inner < outer ? (inner, outer) : (to, to);
    }

    private static long Floor(long time, long width) => time - Modulo(time, width);

    private static long Ceiling(long time, long width) =>
        time == long.MinValue || Modulo(time, width) == 0 ? time
        : time > long.MaxValue - width ? long.MaxValue
        : Floor(time, width) + width;

    private static long Modulo(long time, long width) => ((time % width) + width) % width;
}
