using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Ai;

/// <summary>
/// One service's events of the hour before the feature row being written, exactly: an event is added after its own
/// row is written and dropped once it is an hour older than the row, so a row never sees itself or anything later
/// (point in time, as feature stores build training data).
/// </summary>
internal sealed class ServiceHour
{
    public const long HourMs = 3_600_000;

    private readonly Queue<(long Timestamp, string Name, bool IsError, double? ResponseTimeMs)> _events = new();

    public long Count { get; private set; }

    public long Errors { get; private set; }

    public LatencyHistogram ResponseTimes { get; } = new();

    public Dictionary<string, long> Names { get; } = new(StringComparer.Ordinal);

    public double? AverageResponseTime => ResponseTimes.Count == 0 ? null : _responseTimeSum / ResponseTimes.Count;

    private double _responseTimeSum;

    /// <summary>Drops the events that happened more than an hour before <paramref name="timestamp"/>.</summary>
    public void MoveTo(long timestamp)
    {
        while (_events.TryPeek(out var oldest) && oldest.Timestamp < timestamp - HourMs)
        {
            _events.Dequeue();
            Count--;
            Errors -= oldest.IsError ? 1 : 0;
            Names[oldest.Name]--;
            if (Names[oldest.Name] == 0)
            {
                Names.Remove(oldest.Name);
            }

            if (oldest.ResponseTimeMs is { } ms)
            {
                ResponseTimes.Remove(ms);
                _responseTimeSum -= ms;
            }
        }
    }

    public void Add(EventRecord e)
    {
        _events.Enqueue((e.Timestamp, e.Name, e.IsError, e.ResponseTimeMs));
        Count++;
        Errors += e.IsError ? 1 : 0;
        Names[e.Name] = Names.GetValueOrDefault(e.Name) + 1;
        if (e.ResponseTimeMs is { } ms)
        {
            ResponseTimes.Add(ms);
            _responseTimeSum += ms;
        }
    }
}
