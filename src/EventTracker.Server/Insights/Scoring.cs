namespace EventTracker.Server.Insights;

/// <summary>How sure and how severe a finding is, from its sample size and the size of its effect (never a constant).</summary>
internal static class Scoring
{
    /// <summary>
    /// Grows with the sample (20 events give 0.5, 180 give 0.9) and with how far past the threshold the effect is
    /// (at the threshold 0.6, twice the threshold about 0.93); the product, rounded.
    /// </summary>
    public static double Confidence(long sampleSize, double effect, double threshold)
    {
        var sample = sampleSize / (sampleSize + 20.0);
        var size = 0.6 + (0.4 * Math.Tanh(2 * Math.Max(0, (effect / threshold) - 1)));
        return Math.Round(sample * size, 2);
    }

    /// <summary>0.5 at the threshold, towards 1 as the effect grows.</summary>
    public static double Severity(double effect, double threshold) =>
        Math.Round(Math.Clamp(0.5 + (0.5 * Math.Tanh((effect / threshold) - 1)), 0, 1), 2);
}
