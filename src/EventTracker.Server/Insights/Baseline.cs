namespace EventTracker.Server.Insights;

/// <summary>
/// The centre and spread of one measure over a service's baseline windows, robustly: the median, and the median
/// absolute deviation scaled to a standard deviation (1.4826 × MAD). A few anomalous windows among them (an earlier
/// incident) move neither, where they would drag a mean and inflate a standard deviation.
/// </summary>
internal readonly record struct Baseline(double Median, double Spread, int Windows)
{
    private const double MadToStdDev = 1.4826;

    public static Baseline Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new Baseline(0, 0, 0);
        }

        var median = MedianOf(values);
        var deviation = MedianOf(values.Select(v => Math.Abs(v - median)).ToList());
        return new Baseline(median, MadToStdDev * deviation, values.Count);
    }

    /// <summary>The spread, no smaller than <paramref name="floor"/>: a perfectly steady baseline must not make every wobble anomalous.</summary>
    public double SpreadAtLeast(double floor) => Math.Max(Spread, floor);

    private static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
