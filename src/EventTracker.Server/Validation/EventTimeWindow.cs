namespace EventTracker.Server.Validation;

/// <summary>
/// The event times ingestion accepts right now, in milliseconds since the Unix epoch: [<see cref="Earliest"/>,
/// <see cref="Latest"/>], and the server's clock (<see cref="Now"/>) they were taken at.
/// </summary>
internal readonly record struct EventTimeWindow(long Earliest, long Latest, long Now)
{
    /// <summary>Accepts any time; for callers that check no bounds.</summary>
    public static readonly EventTimeWindow Unbounded = new(long.MinValue, long.MaxValue, 0);

    /// <summary>The same window as seen by a client whose clock is <paramref name="clientAhead"/> ms ahead of the server's.</summary>
    public EventTimeWindow ForClientAhead(long clientAhead) =>
        this == Unbounded ? this : new EventTimeWindow(Earliest + clientAhead, Latest + clientAhead, Now + clientAhead);

    /// <summary>From <paramref name="maxAge"/> before <paramref name="now"/> to <paramref name="maxFutureSkew"/> after it.</summary>
    public static EventTimeWindow Around(DateTimeOffset now, TimeSpan maxAge, TimeSpan maxFutureSkew)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        return new EventTimeWindow(nowMs - (long)maxAge.TotalMilliseconds, nowMs + (long)maxFutureSkew.TotalMilliseconds, nowMs);
    }
}
