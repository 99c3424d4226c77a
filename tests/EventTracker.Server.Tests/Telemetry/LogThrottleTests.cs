using EventTracker.Server.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Telemetry;

public sealed class LogThrottleTests
{
    [Fact]
    public void One_line_per_interval_reports_every_occurrence_since_the_last()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time, TimeSpan.FromSeconds(10));

        var first = throttle.Count(3, out var firstTotal);
        var quiet = Enumerable.Range(0, 50).Count(_ => throttle.Count(1, out long _));
        time.Advance(TimeSpan.FromSeconds(10));
        var next = throttle.Count(2, out var nextTotal);

        Assert.True(first);
        Assert.Equal(3, firstTotal);
        Assert.Equal(0, quiet);
        Assert.True(next);
        Assert.Equal(52, nextTotal);
    }
}
