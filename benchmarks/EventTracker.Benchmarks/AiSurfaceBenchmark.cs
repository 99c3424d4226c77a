using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics;
using EventTracker.Contracts;
using EventTracker.Server.Ai;
using EventTracker.Server.Alerts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Insights;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;
using Microsoft.Extensions.Options;

namespace EventTracker.Benchmarks;

/// <summary>
/// The AI surface over a full store: 1,000,000 seed-like events spread over the last 24 hours are appended, then
/// <c>GET /api/events/insights</c>'s work (an evaluation of every detector plus the query) is timed, and every event
/// is exported as NDJSON feature rows to a null stream while the process's memory is sampled, so a growing export
/// would show.
/// </summary>
internal static class AiSurfaceBenchmark
{
    public static async Task RunAsync(int count)
    {
        var time = TimeProvider.System;
        var storeOptions = Options.Create(new EventStoreOptions { Capacity = count, DataDirectory = string.Empty });
        using var store = new InMemoryEventStore(storeOptions, time);
        using var projection = new AnalyticsProjection(store, storeOptions, Options.Create(new SuggestionOptions()), TimeProvider.System, NullLogger<AnalyticsProjection>.Instance);
        using var broadcaster = new EventBroadcaster(store, Options.Create(new StreamOptions()), TimeProvider.System, NullLogger<EventBroadcaster>.Instance);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var spacing = TimeSpan.FromHours(24).TotalMilliseconds / count;
        for (var i = 0; i < count; i += 1000)
        {
            var batch = Enumerable.Range(i, Math.Min(1000, count - i))
                .Select(j => SeedLikeEvents.Create(j) with { OccurredAt = now - (long)((count - j) * spacing) })
                .ToList();
            await store.AppendBatchAsync($"fill-{i}", batch, CancellationToken.None);
        }

        var insights = new InsightEngine(projection, new LocalInsightLedger(broadcaster), time, Options.Create(new InsightOptions()), new NoAlerts());
        var timings = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await insights.QueryAsync(null, null, null, null, 20, CancellationToken.None);
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        timings.Sort();
        Console.WriteLine($"events held:                 {store.Count:N0}");
        Console.WriteLine($"insights (evaluate + query): p50 {timings[timings.Count / 2]:0.00} ms, p95 {timings[(int)(timings.Count * 0.95)]:0.00} ms, max {timings[^1]:0.00} ms over {timings.Count} calls");

        GC.Collect();
        var before = ProcessMemory.ResidentBytes();
        var peak = before;
        var export = new FeatureExport(store);
        var rows = 0L;
        var quarters = new List<long>();
        var started2 = Stopwatch.StartNew();
        await FeatureWriter.WriteNdjsonAsync(Stream.Null, Counted(export.RowsAsync(null, null, now, CancellationToken.None)), CancellationToken.None);
        started2.Stop();
        Console.WriteLine($"feature export:              {rows:N0} rows in {started2.Elapsed.TotalSeconds:0.0} s ({rows / started2.Elapsed.TotalSeconds:N0} rows/s)");
        Console.WriteLine($"RSS before / peak during:    {before / 1048576.0:N0} MiB / {peak / 1048576.0:N0} MiB (+{(peak - before) / 1048576.0:N0} MiB)");
        Console.WriteLine($"managed heap during export:  {string.Join(" / ", quarters.Select(q => $"{q / 1048576.0:N0}"))} MiB after each quarter of the rows (after a full collection)");

        async IAsyncEnumerable<object?[]> Counted(IAsyncEnumerable<object?[]> source)
        {
            await foreach (var row in source)
            {
                if (++rows % 50_000 == 0)
                {
                    peak = Math.Max(peak, ProcessMemory.ResidentBytes());
                }

                // What the export holds, not what it has thrown away: flat if it does not grow with the rows.
                if (rows % (count / 4) == 0)
                {
                    quarters.Add(GC.GetTotalMemory(forceFullCollection: true));
                }

                yield return row;
            }
        }
    }

    /// <summary>No webhooks: what the server does per evaluation when none are configured (nothing).</summary>
    private sealed class NoAlerts : IInsightAlerts
    {
        public void Publish(IReadOnlyList<AIInsight> opened, IReadOnlyList<AIInsight> closed)
        {
        }
    }
}
