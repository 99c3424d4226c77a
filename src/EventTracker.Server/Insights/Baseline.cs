namespace EventTracker.Server.Insights;

/// <summary>Mean and standard deviation of one measure over a service's baseline windows.</summary>
internal readonly record struct Baseline(double Mean, double StdDev, int Windows)
{
    public static Baseline Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new Baseline(0, 0, 0);
        }

        var mean = values.Average();
        var variance = values.Count < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new Baseline(mean, Math.Sqrt(variance), values.Count);
    }

    /// <summary>The deviation, no smaller than <paramref name="floor"/>: a perfectly steady baseline must not make every wobble anomalous.</summary>
    public double StdDevAtLeast(double floor) => Math.Max(StdDev, floor);
}
