using EventTracker.Server.Analytics;

namespace EventTracker.Server.Tests;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 50, 90, 95, 99, 99.9, 100];

    public static TheoryData<string> Shapes => ["uniform", "lognormal", "constant", "sub-millisecond", "two-modes"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Percentiles_are_within_one_percent_of_the_exact_value_and_inside_the_observed_range(string shape)
    {
        var values = Sample(shape, 20_000, seed: 7);
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.Add(value);
        }

        var sorted = values.Order().ToArray();
        foreach (var p in Percentiles)
        {
            var exact = sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
            var estimate = histogram.Percentile(p)!.Value;

            Assert.InRange(estimate, sorted[0], sorted[^1]);
            Assert.True(Math.Abs(estimate - exact) <= (exact * 0.01) + 0.005, $"p{p}: {estimate} for {exact}");
        }
    }

    [Fact]
    public void After_the_extremes_are_removed_percentiles_stay_close_to_what_is_left()
    {
        var values = Sample("lognormal", 5_000, seed: 11);
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.Add(value);
        }

        var sorted = values.Order().ToArray();
        histogram.Remove(sorted[0]);
        histogram.Remove(sorted[^1]);
        var subtracted = new LatencyHistogram();
        subtracted.Add(sorted[1]);
        histogram.Subtract(subtracted);

        Assert.Equal(values.Length - 3, histogram.Count);
        Assert.InRange(histogram.Percentile(0)!.Value, sorted[2] * 0.98, sorted[2] * 1.02);
        Assert.InRange(histogram.Percentile(100)!.Value, sorted[^2] * 0.98, sorted[^2] * 1.02);
    }

    [Fact]
    public void Merging_and_subtracting_give_the_histogram_of_the_values_left()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        foreach (var value in Sample("uniform", 1000, seed: 3))
        {
            a.Add(value);
        }

        foreach (var value in Sample("two-modes", 1000, seed: 5))
        {
            b.Add(value);
        }

        var merged = a.Clone();
        merged.Merge(b);
        merged.Subtract(b);

        Assert.Equal(a.Count, merged.Count);
        Assert.All(Percentiles, p => Assert.InRange(merged.Percentile(p)!.Value, a.Percentile(p)!.Value * 0.98, a.Percentile(p)!.Value * 1.02));
        merged.Subtract(a);
        Assert.Null(merged.Percentile(50));
    }

    private static double[] Sample(string shape, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => shape switch
        {
            "uniform" => 1 + (random.NextDouble() * 999),
            "lognormal" => Math.Exp(4 + (1.5 * Normal(random))),
            "constant" => 100.0,
            "sub-millisecond" => 0.05 + (random.NextDouble() * 0.9),
            _ => random.NextDouble() < 0.9 ? 20 + random.NextDouble() * 5 : 2000 + random.NextDouble() * 500,
        }).Select(v => Math.Round(v, 2)).ToArray();
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
