namespace EventTracker.Server.Validation;

/// <summary>The event times ingestion accepts right now, in milliseconds since the Unix epoch: [<see cref="Earliest"/>, <see cref="Latest"/>].</summary>
internal readonly record struct EventTimeWindow(long Earliest, long Latest)
{
    /// <summary>Accepts any time; for callers that check no bounds.</summary>
    public static readonly EventTimeWindow Unbounded = new(long.MinValue, long.MaxValue);

    /// <summary>From <paramref name="maxAge"/> before <paramref name="now"/> to <paramref name="maxFutureSkew"/> after it.</summary>
    public static EventTimeWindow Around(DateTimeOffset now, TimeSpan maxAge, TimeSpan maxFutureSkew)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        return new EventTimeWindow(nowMs - (long)maxAge.TotalMilliseconds, nowMs + (long)maxFutureSkew.TotalMilliseconds);
    }
}
