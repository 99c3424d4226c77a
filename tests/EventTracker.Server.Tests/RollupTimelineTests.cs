using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Tests;

/// <summary>History merged per hour keeps the totals and the sliding windows exact.</summary>
public sealed class RollupTimelineTests
{
    private const long Minute = 60_000;
    private const long Hour = 3_600_000;
    private static readonly long Start = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void Coarsening_merges_old_minutes_per_hour_and_leaves_totals_and_windows_as_they_were()
    {
        var timeline = new RollupTimeline(TimeSpan.FromMinutes(1), [TimeSpan.FromHours(1)]);
        for (var i = 0; i < 300; i++)
        {
            timeline.Add(Record(i, Start + (i * Minute), status: i % 10 == 0 ? 500 : 200));
        }

        var now = Start + (5 * Hour);
        var window = Describe(timeline.Window(TimeSpan.FromHours(1), now, null));
        var totals = Describe(timeline.Summarize(null, null));

        timeline.Coarsen(Start + (3 * Hour), now);

        Assert.Equal(totals, Describe(timeline.Summarize(null, null)));
        Assert.Equal(window, Describe(timeline.Window(TimeSpan.FromHours(1), now, null)));
        Assert.Equal(
            Enumerable.Range(0, 300).Select(m => m < 180 ? (m % 60 == 0 ? 60L : 0L) : 1L),
            timeline.Series(Start, now - 1, Minute, null).Select(s => s.Rollups.Count));
        Assert.Equal(60, timeline.Summarize(Start + Hour, Start + (2 * Hour) - 1).Count);

        // The window slides on over minutes only, and a late event in a merged hour still counts.
        timeline.Add(Record(300, Start + (90 * Minute), status: 200));
        Assert.Equal(61, timeline.Summarize(Start + Hour, Start + (2 * Hour) - 1).Count);
        Assert.Equal(30, timeline.Window(TimeSpan.FromHours(1), now + (30 * Minute), null).Count);
        timeline.Coarsen(Start + (4 * Hour), now + Hour);
        Assert.Equal(61, timeline.Summarize(Start + Hour, Start + (2 * Hour) - 1).Count);
        Assert.Equal(301, timeline.Summarize(null, null).Count);
        Assert.Equal(0, timeline.Window(TimeSpan.FromHours(1), now + Hour + Minute, null).Count);
    }

    [Fact]
    public void A_range_from_a_windows_start_to_the_end_is_answered_as_merging_its_buckets_would()
    {
        var timeline = new RollupTimeline(TimeSpan.FromMinutes(1), [TimeSpan.FromHours(1)]);
        for (var i = 0; i < 300; i++)
        {
            timeline.Add(Record(i, Start + (i * Minute), status: i % 7 == 0 ? 503 : 200));
        }

        var now = Start + (5 * Hour) + 30_000;
        var from = now - Hour;
        Assert.Equal(Describe(timeline.Summarize(from, null)), Describe(timeline.Summarize(from, null, now: now)));
        Assert.Equal(Describe(timeline.Summarize(from, null, "svc-1")), Describe(timeline.Summarize(from, null, "svc-1", now)));

        timeline.Add(Record(300, now, status: 500));
        timeline.Add(Record(301, Start, status: 500));
        var later = now + (2 * Minute);
        Assert.Equal(Describe(timeline.Summarize(later - Hour, null)), Describe(timeline.Summarize(later - Hour, null, now: later)));
        Assert.Equal(59, timeline.Summarize(later - Hour, null, now: later).Count);
    }

    private static string Describe(RollupSet rollups) =>
        string.Join("; ", rollups.Services.Values.OrderBy(s => s.ServiceName, StringComparer.Ordinal).Select(s =>
            $"{s.ServiceName} {s.Count} {s.Errors} {s.ResponseTimes.Percentile(50)} {s.ResponseTimes.Percentile(95)} "
            + string.Join(",", s.Names.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key}={n.Value.Count}/{n.Value.Errors}"))));

    private static EventRecord Record(int i, long timestamp, int status) => new()
    {
        Sequence = i + 1,
        Timestamp = timestamp,
        ReceivedAt = timestamp,
        Name = "event-" + (i % 3),
        ServiceName = "svc-" + (i % 2),
        StatusCode = status,
        ResponseTimeMs = 10 + (i % 37),
        PayloadJson = "{}"u8.ToArray(),
    };
}
