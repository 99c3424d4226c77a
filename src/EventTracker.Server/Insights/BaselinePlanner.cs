using EventTracker.Contracts;
using static EventTracker.Server.Insights.InsightFormat;

namespace EventTracker.Server.Insights;

/// <summary>
/// Chooses, from how much of a service's history is held, the windows its anomalies are judged over. With a full
/// history: the configured window against the <see cref="InsightOptions.BaselineWindows"/> before it. With less:
/// narrower windows (one bucket, a minute by default, at the least), widening as history grows, so a new server or a
/// newly deployed service is judged after a few minutes. With fewer than
/// <see cref="InsightOptions.MinBaselineWindows"/> windows before the latest even at the narrowest, it is warming up.
/// </summary>
internal sealed class BaselinePlanner
{
    private readonly InsightOptions _options;
    private readonly long _bucketWidth;
    private readonly long _window;

    public BaselinePlanner(InsightOptions options, long bucketWidth)
    {
        _options = options;
        _bucketWidth = bucketWidth;
        _window = Math.Max(bucketWidth, (long)options.Window.TotalMilliseconds / bucketWidth * bucketWidth);
    }

    /// <summary>Where the history a full plan needs begins, before <paramref name="now"/>.</summary>
    public long SpanStart(long now) => BucketStart(now) - ((_options.BaselineWindows + 1) * _window) - _bucketWidth;

    /// <summary>Where the latest window of <paramref name="plan"/> begins at <paramref name="now"/>: a bucket boundary one width back.</summary>
    public long WindowStart(BaselinePlan plan, long now) => BucketStart(now - plan.Width);

    /// <summary>The plan for a service first seen at <paramref name="firstSeen"/>, and what it means in words.</summary>
    public (BaselinePlan Plan, BaselineStatus Status) Plan(string service, long firstSeen, long now)
    {
        var held = Math.Max(0, now - firstSeen);
        var needed = (_options.MinBaselineWindows + 1) * _bucketWidth;
        var width = held >= (_options.MinBaselineWindows + 1) * _window
            ? _window
            : held / (_options.MinBaselineWindows + 1) / _bucketWidth * _bucketWidth;
        if (width >= _bucketWidth)
        {
            var end = BucketStart(now - width);
            var windows = (int)Math.Min(_options.BaselineWindows, (end - firstSeen) / width);
            if (windows >= _options.MinBaselineWindows)
            {
                return (new BaselinePlan(width, end, windows), new BaselineStatus
                {
                    ServiceName = service,
                    HeldMinutes = Minutes(held),
                    NeededMinutes = Minutes(needed),
                    WindowMinutes = Minutes(width),
                    BaselineWindows = windows,
                    Description = F($"baseline: the last {Span(TimeSpan.FromMilliseconds(width))} against the {windows} windows before it ({Minutes(held):0.#} minutes held)"),
                });
            }
        }

        // Still warming up: only what needs no baseline (a burst of failed logins) is judged, over the configured window.
        var start = BucketStart(now - _window);
        return (new BaselinePlan(_window, start, (int)Math.Clamp((start - firstSeen) / _window, 0, _options.BaselineWindows)), new BaselineStatus
        {
            ServiceName = service,
            WarmingUp = true,
            HeldMinutes = Minutes(held),
            NeededMinutes = Minutes(needed),
            Description = F($"baseline: warming up, {Minutes(held):0.#} minutes held of the {Minutes(needed):0.#} needed"),
        });
    }

    private long BucketStart(long time) => time - (((time % _bucketWidth) + _bucketWidth) % _bucketWidth);

    private static double Minutes(long milliseconds) => Math.Round(milliseconds / 60_000.0, 1);
}
