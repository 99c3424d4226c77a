using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Tests;

/// <summary>Response-time averages come out the same whatever order and grouping the events were added in.</summary>
public sealed class ServiceRollupTests
{
    private static readonly double[] Times = [0.1, 0.2, 0.3, 457.145, 1e-4, 12.0625, 999_999.999, 3.3];

    private static double FloatingSum(IEnumerable<double> times) => times.Aggregate(0.0, (sum, time) => sum + time);

    [Fact]
    public void Adding_one_by_one_merging_groups_and_reading_stored_sums_give_the_same_average_to_the_last_bit()
    {
        var oneByOne = Rollup(Times);
        var backwards = Rollup(Times.Reverse());
        var merged = Rollup(Times[4..]);
        merged.Merge(Rollup(Times[..4]));
        var stored = new ServiceRollup("svc");
        stored.AddStored(new StoredServiceRollup(0, "svc", Rollup(Times[..3]).ResponseTimeMicroseconds, 0, 0, 0));
        stored.AddStored(new StoredServiceRollup(0, "svc", Rollup(Times[3..]).ResponseTimeMicroseconds, 0, 0, 0));

        Assert.NotEqual(FloatingSum(Times[..3]), FloatingSum(Times[..3].Reverse())); // what floating-point sums did
        Assert.Equal(oneByOne.ResponseTimeMicroseconds, backwards.ResponseTimeMicroseconds);
        Assert.Equal(oneByOne.ResponseTimeMicroseconds, merged.ResponseTimeMicroseconds);
        Assert.Equal(oneByOne.ResponseTimeMicroseconds, stored.ResponseTimeMicroseconds);
        Assert.Equal(oneByOne.AverageResponseTime, backwards.AverageResponseTime);
        Assert.Equal(Times.Average(), oneByOne.AverageResponseTime!.Value, 0.001);
    }

    [Fact]
    public void Taking_out_what_was_added_leaves_exactly_what_was_there()
    {
        var rollup = Rollup([5.5]);
        var before = rollup.ResponseTimeMicroseconds;
        var records = Times.Select(Record).ToList();
        records.ForEach(rollup.Add);
        records.ForEach(rollup.Remove);

        Assert.Equal(before, rollup.ResponseTimeMicroseconds);
        Assert.Equal(5.5, rollup.AverageResponseTime);
    }

    [Fact]
    public void An_absurd_response_time_counts_at_the_ceiling_and_cannot_overflow_the_sum()
    {
        var rollup = Rollup(Enumerable.Repeat(double.MaxValue, 1000));

        Assert.Equal(1000 * ResponseTimeTotal.MaxMicroseconds, rollup.ResponseTimeMicroseconds);
        Assert.Equal(1e9, rollup.AverageResponseTime);
    }

    private static ServiceRollup Rollup(IEnumerable<double> times)
    {
        var rollup = new ServiceRollup("svc");
        foreach (var time in times)
        {
            rollup.Add(Record(time));
        }

        return rollup;
    }

    private static EventRecord Record(double responseTimeMs) => new()
    {
        Sequence = 1,
        Timestamp = 0,
        ReceivedAt = 0,
        Name = "request",
        ServiceName = "svc",
        StatusCode = 200,
        ResponseTimeMs = responseTimeMs,
        PayloadJson = "{}"u8.ToArray(),
    };
}
