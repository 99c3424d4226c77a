namespace EventTracker.Server.Analytics;

/// <summary>Thresholds of the suggestion rules (configuration section <c>EventTracker:Suggestions</c>).</summary>
public sealed class SuggestionOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Suggestions";

    /// <summary>The window the rules look at. Default 24 hours.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Fewest events a service needs before rate-based rules speak. Default 20.</summary>
    public int MinSampleSize { get; set; } = 20;

    /// <summary>A service averaging at least this many milliseconds is slow. Default 300.</summary>
    public double SlowAverageMs { get; set; } = 300;

    /// <summary>A service whose 95th percentile is at least this many milliseconds is slow. Default 1,000.</summary>
    public double SlowP95Ms { get; set; } = 1000;

    /// <summary>An error rate (percent) at or above this is high. Default 5.</summary>
    public double HighErrorRatePercent { get; set; } = 5;

    /// <summary>The recent window compared against the service's baseline for error spikes. Default 5 minutes.</summary>
    public TimeSpan SpikeWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The baseline window before <see cref="SpikeWindow"/>. Default 1 hour.</summary>
    public TimeSpan SpikeBaseline { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many times the baseline error rate the recent rate must reach to be a spike. Default 2.</summary>
    public double SpikeFactor { get; set; } = 2;

    /// <summary>A correlation chain still open this long after its start is unfinished. Default 30 seconds.</summary>
    public TimeSpan UnfinishedChainAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fewest unfinished chains of a service worth a suggestion. Default 3.</summary>
    public int MinUnfinishedChains { get; set; } = 3;

    /// <summary>The window in which failed logins are counted. Default 5 minutes.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed logins within <see cref="FailedLoginWindow"/> that make a burst. Default 10.</summary>
    public int FailedLoginBurst { get; set; } = 10;
}
