namespace EventTracker.Server.Storage;

/// <summary>
/// The response-time scale every histogram uses, in memory and in the database's rollups: logarithmic bins 2 % wide
/// from 0.01 ms. Bin 0 holds [0, 0.01) ms; bin b ≥ 1 holds [0.01 × 1.02^(b-1), 0.01 × 1.02^b) ms.
/// </summary>
internal static class LatencyBins
{
    private const double GrowthFactor = 1.02;
    private const double SmallestMs = 0.01;
    private static readonly double LogGrowth = Math.Log(GrowthFactor);

    public static int Of(double milliseconds) =>
        milliseconds < SmallestMs ? 0 : 1 + (int)(Math.Log(milliseconds / SmallestMs) / LogGrowth);

    public static double LowerEdge(int bin) => bin == 0 ? 0 : SmallestMs * Math.Pow(GrowthFactor, bin - 1);

    public static double UpperEdge(int bin) => SmallestMs * Math.Pow(GrowthFactor, bin);

    /// <summary>Where a value in <paramref name="bin"/> is reported: its geometric middle.</summary>
    public static double Middle(int bin) => bin == 0 ? SmallestMs / 2 : Math.Sqrt(LowerEdge(bin) * UpperEdge(bin));
}
