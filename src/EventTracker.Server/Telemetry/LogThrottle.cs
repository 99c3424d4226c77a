namespace EventTracker.Server.Telemetry;

/// <summary>
/// At most one log line per interval for something that can happen once per event (a shed append, a dropped stream
/// message): every occurrence is counted, and the line that may be written says how many there were since the last.
/// The metrics count each one; the log only says that it is happening.
/// </summary>
internal sealed class LogThrottle
{
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private long _nextLineAt;
    private long _since;

    public LogThrottle(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _intervalTicks = interval.Ticks;
    }

    /// <summary>
    /// Counts <paramref name="occurrences"/>; true when a line is due now, with <paramref name="total"/> occurrences to
    /// report (these and those not reported yet).
    /// </summary>
    public bool Count(long occurrences, out long total)
    {
        Interlocked.Add(ref _since, occurrences);
        var now = _time.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextLineAt);
        if (now < due || Interlocked.CompareExchange(ref _nextLineAt, now + _intervalTicks, due) != due)
        {
            total = 0;
            return false;
        }

        total = Interlocked.Exchange(ref _since, 0);
        return total > 0;
    }
}
