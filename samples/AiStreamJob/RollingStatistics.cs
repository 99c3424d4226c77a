namespace AiStreamJob;

/// <summary>Mean and standard deviation of the last <c>window</c> values, updated one value at a time.</summary>
internal sealed class RollingStatistics
{
    private readonly Queue<double> _values = new();
    private readonly int _window;
    private double _sum;
    private double _sumOfSquares;

    public RollingStatistics(int window) => _window = window;

    public int Count => _values.Count;

    public double Mean => _values.Count == 0 ? 0 : _sum / _values.Count;

    public double StandardDeviation =>
        _values.Count < 2 ? 0 : Math.Sqrt(Math.Max(0, (_sumOfSquares - (_sum * _sum / _values.Count)) / (_values.Count - 1)));

    /// <summary>How many standard deviations <paramref name="value"/> lies from the mean of the window so far.</summary>
    public double ZScore(double value) => StandardDeviation == 0 ? 0 : (value - Mean) / StandardDeviation;

    public void Add(double value)
    {
        _values.Enqueue(value);
        _sum += value;
        _sumOfSquares += value * value;
        if (_values.Count > _window)
        {
            var oldest = _values.Dequeue();
            _sum -= oldest;
            _sumOfSquares -= oldest * oldest;
        }
    }
}
