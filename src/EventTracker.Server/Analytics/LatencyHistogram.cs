using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Response-time counts in logarithmic bins 2 % wide from 0.01 ms, reported at the bin's geometric middle, so a
/// percentile is within 1 % of the value held at that rank, and clamped to the smallest and largest values held (exact
/// while values are only added; after removals, the edges of the outermost bins still held). Bins are stored sparsely
/// (only those used, in order), so a minute of one service costs a few dozen entries. Values can be removed again and
/// whole histograms merged or subtracted, which keeps rollups right when events are evicted and lets a window slide.
/// </summary>
internal sealed class LatencyHistogram
{
    private int[] _bins = [];
    private long[] _counts = [];
    private int _used;

    public long Count { get; private set; }

    /// <summary>The smallest value held; after removals, at most 2 % below it.</summary>
    public double Min { get; private set; } = double.PositiveInfinity;

    /// <summary>The largest value held; after removals, at most 2 % above it.</summary>
    public double Max { get; private set; } = double.NegativeInfinity;

    public void Add(double milliseconds)
    {
        Adjust(LatencyBins.Of(milliseconds), +1);
        Min = Math.Min(Min, milliseconds);
        Max = Math.Max(Max, milliseconds);
    }

    public void Remove(double milliseconds)
    {
        Adjust(LatencyBins.Of(milliseconds), -1);
        if (milliseconds <= Min || milliseconds >= Max)
        {
            TightenBounds();
        }
    }

    public void Merge(LatencyHistogram other)
    {
        Combine(other, +1);
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>Takes out the values of <paramref name="other"/>, which must all be held here.</summary>
    public void Subtract(LatencyHistogram other)
    {
        Combine(other, -1);
        TightenBounds();
    }

    /// <summary>Adds <paramref name="count"/> values of <paramref name="bin"/> lying within [<paramref name="min"/>, <paramref name="max"/>]: a histogram read back from stored rollups.</summary>
    public void AddStored(int bin, long count, double min, double max)
    {
        Adjust(bin, count);
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
    }

    public LatencyHistogram Clone()
    {
        var copy = new LatencyHistogram();
        copy.Merge(this);
        return copy;
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100), or <see langword="null"/> when empty.</summary>
    public double? Percentile(double percentile)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Clamp((long)Math.Ceiling(percentile / 100.0 * Count), 1, Count);
        long seen = 0;
        var bin = _bins[_used - 1];
        for (var i = 0; i < _used; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                bin = _bins[i];
                break;
            }
        }

        return Math.Round(Math.Clamp(LatencyBins.Middle(bin), Min, Max), 2);
    }

    /// <summary>The percentage (0–100) of values held that are at most <paramref name="milliseconds"/> (to bin resolution); null when empty.</summary>
    public double? Rank(double milliseconds)
    {
        if (Count == 0)
        {
            return null;
        }

        var bin = LatencyBins.Of(milliseconds);
        long atMost = 0;
        for (var i = 0; i < _used && _bins[i] <= bin; i++)
        {
            atMost += _counts[i];
        }

        return Math.Round(100.0 * atMost / Count, 2);
    }

    // Both bin lists are sorted: one pass over the two, into new arrays, dropping bins that reach zero.
    private void Combine(LatencyHistogram other, int sign)
    {
        if (other._used == 0)
        {
            return;
        }

        if (_used == 0 && sign > 0)
        {
            _bins = other._bins[..other._used];
            _counts = other._counts[..other._used];
            _used = other._used;
            Count = other.Count;
            return;
        }

        var bins = new int[_used + other._used];
        var counts = new long[_used + other._used];
        int i = 0, j = 0, k = 0;
        while (i < _used || j < other._used)
        {
            int bin;
            long count;
            if (j == other._used || (i < _used && _bins[i] < other._bins[j]))
            {
                (bin, count) = (_bins[i], _counts[i]);
                i++;
            }
            else if (i == _used || other._bins[j] < _bins[i])
            {
                (bin, count) = (other._bins[j], sign * other._counts[j]);
                j++;
            }
            else
            {
                (bin, count) = (_bins[i], _counts[i] + (sign * other._counts[j]));
                i++;
                j++;
            }

            if (count != 0)
            {
                bins[k] = bin;
                counts[k] = count;
                k++;
            }
        }

        _bins = bins;
        _counts = counts;
        _used = k;
        Count += sign * other.Count;
    }

    private void Adjust(int bin, long delta)
    {
        var index = Array.BinarySearch(_bins, 0, _used, bin);
        if (index >= 0)
        {
            _counts[index] += delta;
            if (_counts[index] == 0)
            {
                Array.Copy(_bins, index + 1, _bins, index, _used - index - 1);
                Array.Copy(_counts, index + 1, _counts, index, _used - index - 1);
                _used--;
            }
        }
        else
        {
            index = ~index;
            if (_used == _bins.Length)
            {
                var capacity = Math.Max(4, _used * 2);
                Array.Resize(ref _bins, capacity);
                Array.Resize(ref _counts, capacity);
            }

            Array.Copy(_bins, index, _bins, index + 1, _used - index);
            Array.Copy(_counts, index, _counts, index + 1, _used - index);
            _bins[index] = bin;
            _counts[index] = delta;
            _used++;
        }

        Count += delta;
    }

    // The exact extremes may have been among the values removed; the outer edges of the outermost bins still held
    // bound what is left.
    private void TightenBounds()
    {
        Min = _used == 0 ? double.PositiveInfinity : Math.Max(Min, LatencyBins.LowerEdge(_bins[0]));
        Max = _used == 0 ? double.NegativeInfinity : Math.Min(Max, LatencyBins.UpperEdge(_bins[_used - 1]));
    }
}
