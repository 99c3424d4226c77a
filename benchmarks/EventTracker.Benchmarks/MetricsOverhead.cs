namespace EventTracker.Benchmarks;

/// <summary>
/// What the server's own metrics cost single-event ingestion: the same load (<see cref="AccessOverhead.MeasureAsync"/>)
/// against a server with metrics on (the default: instruments, OpenTelemetry aggregation, the Prometheus exporter) and
/// with <c>EventTracker:Metrics:Enabled=false</c>, each in its own process, in alternating pairs whose median ratio is reported;
/// memory-only stores, so the difference is the instruments.
/// </summary>
internal static class MetricsOverhead
{
    public static async Task RunAsync(int seconds, int rounds = 4)
    {
        var on = new Dictionary<string, string> { ["EventTracker__Store__DataDirectory"] = string.Empty };
        var off = new Dictionary<string, string>(on) { ["EventTracker__Metrics__Enabled"] = "false" };

        // Alternated, off first then on first, so drift on a shared machine falls on both alike.
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var (a, b) = round % 2 == 0 ? (off, on) : (on, off);
            var first = await AccessOverhead.MeasureAsync(a, null, seconds);
            var second = await AccessOverhead.MeasureAsync(b, null, seconds);
            var (withMetrics, without) = round % 2 == 0 ? (second, first) : (first, second);
            ratios.Add(withMetrics.PerSecond / without.PerSecond);
            Console.WriteLine($"round {round + 1}: off {without.PerSecond:N0} requests/s (p50 {without.P50:0.00} ms), on {withMetrics.PerSecond:N0} requests/s (p50 {withMetrics.P50:0.00} ms), ratio {ratios[^1]:0.000}");
        }

        var median = ratios.Order().ToList() is var sorted && sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        Console.WriteLine($"median throughput ratio: {median:0.000} (on / off); overhead {(1 - median) * 100:0.0} %");
    }
}
