namespace EventTracker.Server.Analytics;

/// <summary>
/// Response-time counts in logarithmic bins 10 % wide, so percentiles are within about ±5 %
/// of the exact value. Values can be removed again, which keeps rollups right when events are evicted.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double GrowthFactor = 1.1;
    private const int MaxBin = 200; // 1.1^199 ms is far beyond any real response time.
    private static readonly double LogGrowth = Math.Log(GrowthFactor);

    // Grown to the highest bin used, so a service with fast responses keeps a short array.
    private long[] _counts = [];

    public long Count { get; private set; }

    public void Add(double milliseconds) => Adjust(milliseconds, +1);

    public void Remove(double milliseconds) => Adjust(milliseconds, -1);

    public void Merge(LatencyHistogram other)
    {
        if (other._counts.Length > _counts.Length)
        {
            Array.Resize(ref _counts, other._counts.Length);
        }

        for (var i = 0; i < other._counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100), or <see langword="null"/> when empty.</summary>
    public double? Percentile(double percentile)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var bin = 0; bin < _counts.Length; bin++)
        {
            seen += _counts[bin];
            if (seen >= rank)
            {
                return Math.Round(BinMidpoint(bin), 1);
            }
        }

        return Math.Round(BinMidpoint(_counts.Length - 1), 1);
    }

    private void Adjust(double milliseconds, int delta)
    {
        var bin = BinOf(milliseconds);
        if (bin >= _counts.Length)
        {
            Array.Resize(ref _counts, bin + 1);
        }

        _counts[bin] += delta;
        Count += delta;
    }

    // Bin 0 holds [0, 1) ms; bin b ≥ 1 holds [1.1^(b-1), 1.1^b) ms.
    private static int BinOf(double milliseconds) =>
        milliseconds < 1 ? 0 : Math.Min(MaxBin, 1 + (int)(Math.Log(milliseconds) / LogGrowth));

    private static double BinMidpoint(int bin) =>
        bin == 0 ? 0.5 : Math.Sqrt(Math.Pow(GrowthFactor, bin - 1) * Math.Pow(GrowthFactor, bin));
}
