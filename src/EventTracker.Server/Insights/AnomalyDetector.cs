using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using static EventTracker.Server.Insights.InsightFormat;

namespace EventTracker.Server.Insights;

/// <summary>
/// The guide's anomaly detection: each service's latest window against its own baseline (the windows before it), by
/// the guide's thresholds in deviations — response time 2.0, error rate 3.0, volume 2.5, failed logins — each also
/// needing a real effect (a floor under the spread, a minimum change), so steady noisy traffic raises nothing.
/// Judges whatever history a service has (<see cref="BaselinePlanner"/>); an open episode is judged against the
/// baseline it was found with. Reads the analytics projection only.
/// </summary>
internal sealed class AnomalyDetector
{
    private readonly InsightOptions _options;
    private readonly BaselinePlanner _planner;

    public AnomalyDetector(InsightOptions options, long bucketWidth)
    {
        _options = options;
        _planner = new BaselinePlanner(options, bucketWidth);
    }

    /// <param name="projection">The analytics to read.</param>
    /// <param name="now">The time of the evaluation.</param>
    /// <param name="open">What the open anomaly episodes were last found as, by detection key: each is judged by its own plan.</param>
    /// <param name="baselines">Receives each service's baseline status.</param>
    public IEnumerable<Detection> Detect(AnalyticsProjection projection, long now, IReadOnlyDictionary<string, Detection> open, List<BaselineStatus> baselines)
    {
        var history = RollupHistory.Read(projection, _planner.SpanStart(now), now);
        var services = history.Services.Concat(open.Values.Select(d => d.ServiceName!)).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<Detection>();
        foreach (var service in services)
        {
            var (plan, status) = _planner.Plan(service, history.FirstSeen(service) ?? now, now);
            baselines.Add(status);
            var contexts = new Dictionary<BaselinePlan, Context>();
            Context For(string key, string? alternativeKey = null)
            {
                var chosen = open.TryGetValue(key, out var episode) || (alternativeKey is not null && open.TryGetValue(alternativeKey, out episode)) ? episode.Plan!.Value : plan;
                if (!contexts.TryGetValue(chosen, out var context))
                {
                    context = Build(projection, history, service, chosen, now);
                    contexts[chosen] = context;
                }

                return context;
            }

            found.AddRange(new[]
            {
                ResponseTime(For(PerformanceKey(service))),
                ErrorRate(For(ReliabilityKey(service))),
                Volume(For(TrafficKey("spike", service), TrafficKey("drop", service))),
                FailedLogins(For(SecurityKey(service))),
            }.OfType<Detection>());
        }

        return found;
    }

    private static string PerformanceKey(string service) => $"performance/avgResponseTimeMs/{service}";

    private static string ReliabilityKey(string service) => $"reliability/errorRatePercent/{service}";

    private static string TrafficKey(string direction, string service) => $"traffic/{direction}/{service}";

    private static string SecurityKey(string service) => $"security/failedLogins/{service}";

    private Context Build(AnalyticsProjection projection, RollupHistory history, string service, BaselinePlan plan, long now)
    {
        var recentFrom = _planner.WindowStart(plan, now);
        var source = plan.BaselineStart >= history.From ? history : RollupHistory.Read(projection, plan.BaselineStart, plan.BaselineEnd - 1, service);
        var windows = Enumerable.Range(0, plan.Windows)
            .Select(i => source.Window(service, plan.BaselineStart + (i * plan.Width), plan.BaselineStart + ((i + 1) * plan.Width)))
            .ToList();

        // The latest window runs from a bucket boundary to now, so it may hold a little more than one width: volume is scaled to one.
        var covered = Math.Max(now - recentFrom, 1);
        return new Context(
            service, history.Window(service, recentFrom, now + 1), windows, Math.Min(1.0, (double)plan.Width / covered), TimeSpan.FromMilliseconds(plan.Width),
            Range(recentFrom, now), Range(plan.BaselineStart, plan.BaselineEnd), plan);
    }

    private Detection? ResponseTime(Context c)
    {
        if (c.Current is not { AverageResponseTime: { } current } rollup || rollup.ResponseTimes.Count < _options.MinSamples)
        {
            return null;
        }

        var baseline = Baseline.Of(c.History.Where(s => s?.AverageResponseTime is not null).Select(s => s!.AverageResponseTime!.Value).ToList());
        if (baseline.Windows < _options.MinBaselineWindows)
        {
            return null;
        }

        var spread = baseline.SpreadAtLeast(Math.Max(1, 0.05 * baseline.Median));
        var z = (current - baseline.Median) / spread;
        if (z < _options.ResponseTimeThreshold || current < 1.5 * baseline.Median)
        {
            return null;
        }

        var times = current / Math.Max(baseline.Median, 0.01);
        var p95 = rollup.ResponseTimes.Percentile(95);
        return new Detection(
            PerformanceKey(c.Service), InsightTypes.Performance, c.Service,
            $"{c.Service} responds {times:0.#}× slower than usual",
            F($"{c.Service} averaged {current:0} ms (p95 {p95:0} ms) over the last {Span(c.Width)}, against {baseline.Median:0} ms ± {spread:0} ms in the {baseline.Windows} windows before: {z:0.#} deviations above its baseline."),
            ["Look at what changed in this service or its dependencies just before the slowdown (deployments, configuration, load).",
             "Trace a few slow requests (trace_correlation, or query_events filtered to the service) to find the slow step.",
             "Add capacity or a cache in front of the slow dependency if the load grew."],
            Scoring.Severity(z, _options.ResponseTimeThreshold),
            Scoring.Confidence(rollup.ResponseTimes.Count, z, _options.ResponseTimeThreshold),
            Evidence("avgResponseTimeMs", c, current, baseline, spread, z, _options.ResponseTimeThreshold, rollup.ResponseTimes.Count,
                new() { ["p95Ms"] = F($"{p95:0.#}"), ["timesBaseline"] = F($"{times:0.##}") }),
            c.Plan);
    }

    private Detection? ErrorRate(Context c)
    {
        if (c.Current is not { } rollup || rollup.Count < _options.MinSamples || rollup.Errors < 5)
        {
            return null;
        }

        var current = 100.0 * rollup.Errors / rollup.Count;
        var baseline = Baseline.Of(c.History.Where(s => s is { Count: > 0 }).Select(s => 100.0 * s!.Errors / s.Count).ToList());
        if (baseline.Windows < _options.MinBaselineWindows)
        {
            return null;
        }

        var spread = baseline.SpreadAtLeast(1);
        var z = (current - baseline.Median) / spread;
        if (z < _options.ErrorRateThreshold || current - baseline.Median < 5)
        {
            return null;
        }

        return new Detection(
            ReliabilityKey(c.Service), InsightTypes.Reliability, c.Service,
            F($"{c.Service} fails {current:0.#}% of the time"),
            F($"{rollup.Errors} of {rollup.Count} {c.Service} events in the last {Span(c.Width)} were errors ({current:0.#}%), against {baseline.Median:0.#}% ± {spread:0.#} points in the {baseline.Windows} windows before: {z:0.#} deviations above its baseline."),
            ["Find the failing calls (query_events with the service and type=error, or status codes of 500 and above) and their first occurrence.",
             "Check recent deployments and the health of the service's dependencies.",
             "Roll back or fail over if the errors started with a change."],
            Scoring.Severity(z, _options.ErrorRateThreshold),
            Scoring.Confidence(rollup.Count, z, _options.ErrorRateThreshold),
            Evidence("errorRatePercent", c, current, baseline, spread, z, _options.ErrorRateThreshold, rollup.Count,
                new() { ["errors"] = rollup.Errors.ToString(CultureInfo.InvariantCulture) }),
            c.Plan);
    }

    private Detection? Volume(Context c)
    {
        var count = c.Current?.Count ?? 0;
        var current = Math.Round(count * c.VolumeScale, 1);
        var baseline = Baseline.Of(c.History.Select(s => (double)(s?.Count ?? 0)).ToList());
        if (baseline.Windows < _options.MinBaselineWindows || (current < _options.MinSamples && baseline.Median < _options.MinSamples))
        {
            return null;
        }

        var spread = baseline.SpreadAtLeast(Math.Max(1, Math.Sqrt(baseline.Median)));
        var z = (current - baseline.Median) / spread;
        var spike = z >= _options.VolumeThreshold && current >= 2 * baseline.Median;
        var drop = -z >= _options.VolumeThreshold && current <= 0.5 * baseline.Median;
        if (!spike && !drop)
        {
            return null;
        }

        var direction = spike ? "spike" : "drop";
        return new Detection(
            TrafficKey(direction, c.Service), InsightTypes.Traffic, c.Service,
            spike ? F($"{c.Service} traffic is {current / Math.Max(baseline.Median, 1):0.#}× its usual volume") : F($"{c.Service} traffic dropped to {100 * current / baseline.Median:0}% of its usual volume"),
            F($"{count} {c.Service} events in the last {Span(c.Width)}, against {baseline.Median:0.#} ± {spread:0.#} per window in the {baseline.Windows} windows before: {Math.Abs(z):0.#} deviations {(spike ? "above" : "below")} its baseline."),
            spike
                ? ["Check whether the extra traffic is expected (a campaign, a batch job) or abusive (one client, one source).", "Watch response times and error rates of the service and its dependencies as the load holds."]
                : ["Check whether clients can still reach the service (DNS, load balancer, certificates) and whether the tracking itself still runs.", "Compare with the upstream services that call it."],
            Scoring.Severity(Math.Abs(z), _options.VolumeThreshold),
            Scoring.Confidence((long)Math.Max(current, baseline.Median), Math.Abs(z), _options.VolumeThreshold),
            Evidence("eventsPerWindow", c, current, baseline, spread, z, _options.VolumeThreshold, count, new() { ["direction"] = direction }),
            c.Plan);
    }

    // A burst is judged even before a baseline has formed: a new login endpoint under attack matters at once.
    private Detection? FailedLogins(Context c)
    {
        var current = FailedLogins(c.Current);
        if (current < _options.FailedLoginBurst)
        {
            return null;
        }

        var baseline = Baseline.Of(c.History.Select(s => (double)FailedLogins(s)).ToList());
        var spread = baseline.SpreadAtLeast(Math.Max(1, Math.Sqrt(baseline.Median)));
        var z = (current - baseline.Median) / spread;
        if (z < 3)
        {
            return null;
        }

        return new Detection(
            SecurityKey(c.Service), InsightTypes.Security, c.Service,
            F($"Burst of {current} failed logins in {c.Service}"),
            F($"{current} failed logins in {c.Service} in the last {Span(c.Width)}, against {baseline.Median:0.#} per window before ({z:0.#} deviations above)."),
            ["Look for one source or one account behind the failures (query_events filtered to the login events).",
             "Rate-limit or challenge (CAPTCHA) the login endpoint; lock accounts under attack.",
             "Check whether credentials leaked if the failures target many accounts."],
            Scoring.Severity(current, _options.FailedLoginBurst),
            Scoring.Confidence(current, z, 3),
            Evidence("failedLogins", c, current, baseline, spread, z, _options.FailedLoginBurst, current, null),
            c.Plan);
    }

    private static long FailedLogins(ServiceRollup? rollup) => rollup?.LoginCounts().Failed ?? 0;

    private static InsightEvidence Evidence(
        string metric, Context c, double current, Baseline baseline, double spread, double z, double threshold, long sample, Dictionary<string, string>? details) => new()
    {
        Metric = metric,
        Window = c.WindowRange,
        Baseline = c.BaselineRange,
        Current = Math.Round(current, 2),
        BaselineMean = Math.Round(baseline.Median, 2),
        BaselineStdDev = Math.Round(spread, 2),
        ZScore = Math.Round(z, 2),
        Threshold = threshold,
        SampleSize = sample,
        BaselineWindows = baseline.Windows,
        Details = details,
    };

    /// <summary>One service under one plan: its latest window, the baseline windows (null where it had no events), and their ranges.</summary>
    private sealed record Context(
        string Service, ServiceRollup? Current, List<ServiceRollup?> History, double VolumeScale, TimeSpan Width, TimeRange WindowRange, TimeRange BaselineRange, BaselinePlan Plan);
}
