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

    /// <summary>The baseline's mean, when compared with one.</summary>
    public double? BaselineMean { get; init; }

    /// <summary>The baseline's standard deviation (with its floor), when compared with one.</summary>
    public double? BaselineStdDev { get; init; }

    /// <summary>How many standard deviations the window is from the baseline.</summary>
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
