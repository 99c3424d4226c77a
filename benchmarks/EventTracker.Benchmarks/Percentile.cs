namespace EventTracker.Benchmarks;

/// <summary>Percentiles of measured times, by nearest rank: what every harness reports.</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="percentile"/>th of <paramref name="sorted"/> (ascending); NaN when it is empty.</summary>
    public static double Of(List<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
