using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Queries;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Turns rollups into the API's service analytics, statistics and time series: the projection's, or, for a filter on
/// more than the service, those <see cref="FilteredAnalytics"/> makes from the matching events, shaped the same way.
/// </summary>
internal sealed class ServiceAnalytics
{
    private const int TopEventsPerService = 10;
    private const int TopEventsOverall = 20;

    private readonly AnalyticsProjection _projection;
    private readonly FilteredAnalytics _filtered;
    private readonly IEventStore _store;
    private readonly TimeProvider _time;

    public ServiceAnalytics(AnalyticsProjection projection, FilteredAnalytics filtered, IEventStore store, TimeProvider time)
    {
        _projection = projection;
        _filtered = filtered;
        _store = store;
        _time = time;
    }

    /// <summary>Analytics per service of the events <paramref name="filter"/> selects in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async ValueTask<ServicesResponse> GetServicesAsync(EventFilter filter, long? from, long? to, CancellationToken cancellationToken)
    {
        var (rollups, truncated) = await ReadAsync(filter, from, to, (timeline, now) => timeline.Summarize(from, to, filter.ServiceName, now), cancellationToken);
        var services = rollups.Services.Values.ToList();
        var totalEvents = services.Sum(s => s.Count);
        return new ServicesResponse
        {
            Services = ToServiceStats(services),
            Summary = new ServicesSummary
            {
                TotalServices = services.Count,
                TotalEvents = totalEvents,
                AvgResponseTime = AverageResponseTime(services),
                OverallErrorRate = Percentage(services.Sum(s => s.Errors), totalEvents),
            },
            Truncated = truncated,
        };
    }

    /// <summary>Statistics of the events <paramref name="filter"/> selects in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async ValueTask<EventStatistics> GetStatisticsAsync(EventFilter filter, long? from, long? to, CancellationToken cancellationToken)
    {
        var ((rollups, days), truncated) = await ReadAsync(
            filter,
            from,
            to,
            (timeline, now) => (timeline.Summarize(from, to, filter.ServiceName, now), timeline.CountPerDay(from, to, filter.ServiceName)),
            cancellationToken);
        var names = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var service in rollups.Services.Values)
        {
            foreach (var (name, counts) in service.Names)
            {
                names[name] = names.GetValueOrDefault(name) + counts.Count;
            }
        }

        return new EventStatistics
        {
            TotalEventCount = rollups.Count,
            TotalUniqueEvents = names.Count,
            TotalServices = rollups.Services.Count,
            PerDay = days.Select(d => new DailyCount { Date = FormatDay(d.DayStart), Count = d.Count }).ToList(),
            TopEvents = TopEvents(names, rollups.Count, TopEventsOverall),
            ServiceBreakdown = ToServiceStats(rollups.Services.Values),
            EvictedEvents = _store.EvictedCount,
            Truncated = truncated,
        };
    }

    /// <summary>
    /// History of the events <paramref name="filter"/> selects (of all services unless it names one) over
    /// [<paramref name="from"/>, <paramref name="to"/>] in at most <see cref="MaxPoints"/> buckets of a round width chosen
    /// from the range.
    /// </summary>
    public async ValueTask<TimeSeriesResponse> GetTimeSeriesAsync(EventFilter filter, long from, long to, CancellationToken cancellationToken)
    {
        var width = SeriesWidth(to - from, _projection.BucketWidth);
        var firstSlot = from - (((from % width) + width) % width);
        var (slots, truncated) = await ReadAsync(filter, firstSlot, to, (timeline, _) => timeline.Series(from, to, width, filter.ServiceName), cancellationToken);
        return new TimeSeriesResponse
        {
            ServiceName = filter.ServiceName,
            From = SeriesTime(slots[0].Start),
            To = SeriesTime(slots[^1].Start + width),
            BucketSeconds = width / 1000,
            Points = slots.Select(slot => ToPoint(slot.Start, slot.Rollups)).ToList(),
            Truncated = truncated,
        };
    }

    /// <summary>
    /// What <paramref name="read"/> takes from the rollups of the events <paramref name="filter"/> selects in
    /// [<paramref name="from"/>, <paramref name="to"/>] (given the time now): the projection's, kept current for every
    /// service, when the filter names at most a service; otherwise rollups of the matching events, and whether they are
    /// only the newest of them.
    /// </summary>
    private async ValueTask<(T Value, bool Truncated)> ReadAsync<T>(
        EventFilter filter, long? from, long? to, Func<RollupTimeline, long, T> read, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (EventFilterFields.NarrowsWithinServices(filter))
        {
            var (timeline, truncated) = await _filtered.RollupsAsync(filter, from, to, cancellationToken);
            return (read(timeline, now), truncated);
        }

        await _projection.CatchUpAsync(cancellationToken);
        return (_projection.Read(timeline => read(timeline, now)), false);
    }

    // Round buckets of a range reaching year 1 or year 9999 start or end past what a DateTimeOffset holds.
    private static DateTimeOffset SeriesTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(
        Math.Clamp(ms, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()));

    /// <summary>Most points a time series has.</summary>
    public const int MaxPoints = 120;

    private static readonly long[] SeriesWidths =
        [60_000, 300_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 604_800_000];

    // The narrowest round width (a multiple of the rollup bucket) that keeps the range within MaxPoints buckets.
    private static long SeriesWidth(long range, long bucketWidth)
    {
        foreach (var width in SeriesWidths)
        {
            if (width % bucketWidth == 0 && range / width < MaxPoints)
            {
                return width;
            }
        }

        var weeks = SeriesWidths[^1];
        return weeks * ((range / weeks / MaxPoints) + 1);
    }

    private static TimeSeriesPoint ToPoint(long start, RollupSet rollups)
    {
        var merged = new ServiceRollup(string.Empty);
        foreach (var service in rollups.Services.Values)
        {
            merged.Merge(service);
        }

        return new TimeSeriesPoint
        {
            Start = SeriesTime(start),
            Count = merged.Count,
            Errors = merged.Errors,
            ErrorRate = Percentage(merged.Errors, merged.Count),
            AvgResponseTime = merged.AverageResponseTime is { } avg ? Round(avg) : null,
            P50ResponseTime = merged.ResponseTimes.Percentile(50),
            P95ResponseTime = merged.ResponseTimes.Percentile(95),
            P99ResponseTime = merged.ResponseTimes.Percentile(99),
        };
    }

    public static IReadOnlyList<ServiceStats> ToServiceStats(IEnumerable<ServiceRollup> services) =>
        services
            .OrderByDescending(s => s.Count)
            .ThenBy(s => s.ServiceName, StringComparer.Ordinal)
            .Select(ToServiceStats)
            .ToList();

    public static ServiceStats ToServiceStats(ServiceRollup service) => new()
    {
        ServiceName = service.ServiceName,
        EventCount = service.Count,
        UniqueEvents = service.Names.Count,
        AvgResponseTime = service.AverageResponseTime is { } avg ? Round(avg) : null,
        P50ResponseTime = service.ResponseTimes.Percentile(50),
        P95ResponseTime = service.ResponseTimes.Percentile(95),
        P99ResponseTime = service.ResponseTimes.Percentile(99),
        ErrorRate = Percentage(service.Errors, service.Count),
        LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(service.LastSeen),
        TopEvents = TopEvents(service.Names.ToDictionary(n => n.Key, n => n.Value.Count), service.Count, TopEventsPerService),
    };

    private static List<EventCount> TopEvents(Dictionary<string, long> counts, long total, int take) =>
        counts
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(take)
            .Select(c => new EventCount { EventName = c.Key, Count = c.Value, Percentage = Percentage(c.Value, total) })
            .ToList();

    /// <summary>The mean response time of the events of all <paramref name="services"/>, with two decimals; null when none had one.</summary>
    public static double? AverageResponseTime(IReadOnlyCollection<ServiceRollup> services)
    {
        var responseTimes = services.Sum(s => s.ResponseTimes.Count);
        return responseTimes == 0 ? null : Round(ResponseTimeTotal.Average(services.Sum(s => s.ResponseTimeMicroseconds), responseTimes));
    }

    /// <summary>A share as a percentage with two decimals (2.1 means 2.1 %).</summary>
    public static double Percentage(long part, long whole) => whole == 0 ? 0 : Round(100.0 * part / whole);

    private static string FormatDay(long dayStart) =>
        DateTimeOffset.FromUnixTimeMilliseconds(dayStart).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 2);
}
