using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Insights;

/// <summary>How insights are detected (configuration section <c>EventTracker:Insights</c>).</summary>
public sealed class InsightOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Insights";

    /// <summary>The recent window each service is judged over once its history is long enough; narrower (down to a rollup bucket) before. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many windows before it make the service's baseline. Default 12 (an hour).</summary>
    [Range(3, 1000)]
    public int BaselineWindows { get; set; } = 12;

    /// <summary>
    /// Fewest baseline windows with events before a baseline is trusted. Default 3: with one-minute windows while
    /// history is short, a service is judged once it has four minutes of history.
    /// </summary>
    [Range(2, 1000)]
    public int MinBaselineWindows { get; set; } = 3;

    /// <summary>Standard deviations above the baseline that make response times anomalous (the guide's 2.0).</summary>
    [Range(0.5, 20)]
    public double ResponseTimeThreshold { get; set; } = 2.0;

    /// <summary>Standard deviations above the baseline that make an error rate anomalous (the guide's 3.0).</summary>
    [Range(0.5, 20)]
    public double ErrorRateThreshold { get; set; } = 3.0;

    /// <summary>Standard deviations from the baseline that make volume anomalous (the guide's 2.5).</summary>
    [Range(0.5, 20)]
    public double VolumeThreshold { get; set; } = 2.5;

    /// <summary>Fewest events in the window before its rates and times are judged. Default 20.</summary>
    [Range(1, 1_000_000)]
    public int MinSamples { get; set; } = 20;

    /// <summary>Failed logins in the window that make a burst (also above the baseline). Default 10.</summary>
    [Range(1, 1_000_000)]
    public int FailedLoginBurst { get; set; } = 10;

    /// <summary>Distinct users one session acts for within the window that make it suspicious. Default 10.</summary>
    [Range(2, 1_000_000)]
    public int UsersPerSource { get; set; } = 10;

    /// <summary>Flows (correlation chains) started and unfinished this long after that are counted. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UnfinishedFlowAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fewest unfinished flows of a service worth an insight. Default 5.</summary>
    [Range(1, 1_000_000)]
    public int MinUnfinishedFlows { get; set; } = 5;

    /// <summary>A funnel step (x-start to x-complete) finished by at most this percentage is an insight. Default 50.</summary>
    [Range(1, 99)]
    public double FunnelCompletionPercent { get; set; } = 50;

    /// <summary>How often the streams are told about new insights. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many past insights are kept for <c>GET /api/events/insights</c>. Default 1,000.</summary>
    [Range(10, 1_000_000)]
    public int History { get; set; } = 1000;
}
