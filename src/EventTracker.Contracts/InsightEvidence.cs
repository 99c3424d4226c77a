namespace EventTracker.Contracts;

/// <summary>What an <see cref="AIInsight"/> rests on.</summary>
public sealed class InsightEvidence
{
    /// <summary>The measure: <c>avgResponseTimeMs</c>, <c>errorRatePercent</c>, <c>eventsPerWindow</c>, <c>failedLogins</c>, <c>usersPerSource</c>, <c>unfinishedFlows</c> or <c>funnelCompletionPercent</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The window looked at.</summary>
    public required TimeRange Window { get; init; }

    /// <summary>The baseline it was compared with, when there is one.</summary>
    public TimeRange? Baseline { get; init; }

    /// <summary>The measure in the window.</summary>
    public double Current { get; init; }

    /// <summary>The baseline's centre, when compared with one: the median of its windows, so a few anomalous windows do not move it.</summary>
    public double? BaselineMean { get; init; }

    /// <summary>The baseline's spread, when compared with one: the median absolute deviation of its windows scaled to a standard deviation (1.4826 × MAD), no smaller than its floor.</summary>
    public double? BaselineStdDev { get; init; }

    /// <summary>How many of those deviations the window is from the baseline's centre.</summary>
    public double? ZScore { get; init; }

    /// <summary>The threshold in standard deviations (or the count) it crossed.</summary>
    public double Threshold { get; init; }

    /// <summary>Events (or flows, sources) behind <see cref="Current"/>.</summary>
    public long SampleSize { get; init; }

    /// <summary>Windows with data in the baseline.</summary>
    public int? BaselineWindows { get; init; }

    /// <summary>Further numbers particular to the finding, by name.</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }
}
