using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using static EventTracker.Server.Insights.InsightFormat;

namespace EventTracker.Server.Insights;

/// <summary>
/// The guide's anomaly detection: each service's last window against its own baseline (the windows before it), by
/// the guide's thresholds in standard deviations — response time 2.0σ, error rate 3.0σ, volume 2.5σ, failed logins —
/// each also needing a real effect (a floor under σ, a minimum change), so steady noisy traffic raises nothing.
/// Reads the analytics projection only.
/// </summary>
internal sealed class AnomalyDetector
{
    private readonly InsightOptions _options;

    public AnomalyDetector(InsightOptions options) => _options = options;

    public IEnumerable<Detection> Detect(AnalyticsProjection projection, long now)
    {
        var window = (long)_options.Window.TotalMilliseconds;
        var recentStart = now - window;
        var baselineStart = recentStart - (_options.BaselineWindows * window);
        var recent = projection.Summarize(recentStart, now);
        var slots = projection.Series(baselineStart, recentStart - 1, window, null);
        var windowRange = Range(recentStart, now);
        var baselineRange = Range(slots[0].Start, recentStart);
        var services = recent.Services.Keys.Concat(slots.SelectMany(s => s.Rollups.Services.Keys)).Distinct(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var current = recent.Services.GetValueOrDefault(service);
            var history = slots.Select(s => s.Rollups.Services.GetValueOrDefault(service)).SkipWhile(s => s is null).ToList();
            var context = new Context(service, current, history, windowRange, baselineRange);
            foreach (var detection in new[] { ResponseTime(context), ErrorRate(context), Volume(context), FailedLogins(context) })
            {
                if (detection is not null)
                {
                    yield return detection;
                }
            }
        }
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

        var sigma = baseline.StdDevAtLeast(Math.Max(1, 0.05 * baseline.Mean));
        var z = (current - baseline.Mean) / sigma;
        if (z < _options.ResponseTimeThreshold || current < 1.5 * baseline.Mean)
        {
            return null;
        }

        var times = current / Math.Max(baseline.Mean, 0.01);
        var p95 = rollup.ResponseTimes.Percentile(95);
        return new Detection(
            $"performance/avgResponseTimeMs/{c.Service}", InsightTypes.Performance, c.Service,
            $"{c.Service} responds {times:0.#}× slower than usual",
            F($"{c.Service} averaged {current:0} ms (p95 {p95:0} ms) over the last {Span(_options.Window)}, against {baseline.Mean:0} ms ± {sigma:0} ms in the {baseline.Windows} windows before: {z:0.#}σ above its baseline."),
            ["Look at what changed in this service or its dependencies just before the slowdown (deployments, configuration, load).",
             "Trace a few slow requests (trace_correlation, or query_events filtered to the service) to find the slow step.",
             "Add capacity or a cache in front of the slow dependency if the load grew."],
            Scoring.Severity(z, _options.ResponseTimeThreshold),
            Scoring.Confidence(rollup.ResponseTimes.Count, z, _options.ResponseTimeThreshold),
            Evidence("avgResponseTimeMs", c, current, baseline, sigma, z, _options.ResponseTimeThreshold, rollup.ResponseTimes.Count,
                new() { ["p95Ms"] = F($"{p95:0.#}"), ["timesBaseline"] = F($"{times:0.##}") }));
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

        var sigma = baseline.StdDevAtLeast(1);
        var z = (current - baseline.Mean) / sigma;
        if (z < _options.ErrorRateThreshold || current - baseline.Mean < 5)
        {
            return null;
        }

        return new Detection(
            $"reliability/errorRatePercent/{c.Service}", InsightTypes.Reliability, c.Service,
            F($"{c.Service} fails {current:0.#}% of the time"),
            F($"{rollup.Errors} of {rollup.Count} {c.Service} events in the last {Span(_options.Window)} were errors ({current:0.#}%), against {baseline.Mean:0.#}% ± {sigma:0.#} points in the {baseline.Windows} windows before: {z:0.#}σ above its baseline."),
            ["Find the failing calls (query_events with the service and type=error, or status codes of 500 and above) and their first occurrence.",
             "Check recent deployments and the health of the service's dependencies.",
             "Roll back or fail over if the errors started with a change."],
            Scoring.Severity(z, _options.ErrorRateThreshold),
            Scoring.Confidence(rollup.Count, z, _options.ErrorRateThreshold),
            Evidence("errorRatePercent", c, current, baseline, sigma, z, _options.ErrorRateThreshold, rollup.Count,
                new() { ["errors"] = rollup.Errors.ToString(CultureInfo.InvariantCulture) }));
    }

    private Detection? Volume(Context c)
    {
        var current = c.Current?.Count ?? 0;
        var baseline = Baseline.Of(c.History.Select(s => (double)(s?.Count ?? 0)).ToList());
        if (baseline.Windows < _options.MinBaselineWindows || (current < _options.MinSamples && baseline.Mean < _options.MinSamples))
        {
            return null;
        }

        var sigma = baseline.StdDevAtLeast(Math.Max(1, Math.Sqrt(baseline.Mean)));
        var z = (current - baseline.Mean) / sigma;
        var spike = z >= _options.VolumeThreshold && current >= 2 * baseline.Mean;
        var drop = -z >= _options.VolumeThreshold && current <= 0.5 * baseline.Mean;
        if (!spike && !drop)
        {
            return null;
        }

        var direction = spike ? "spike" : "drop";
        return new Detection(
            $"traffic/{direction}/{c.Service}", InsightTypes.Traffic, c.Service,
            spike ? F($"{c.Service} traffic is {current / Math.Max(baseline.Mean, 1):0.#}× its usual volume") : F($"{c.Service} traffic dropped to {100 * current / baseline.Mean:0}% of its usual volume"),
            F($"{current} {c.Service} events in the last {Span(_options.Window)}, against {baseline.Mean:0.#} ± {sigma:0.#} per window in the {baseline.Windows} windows before: {Math.Abs(z):0.#}σ {(spike ? "above" : "below")} its baseline."),
            spike
                ? ["Check whether the extra traffic is expected (a campaign, a batch job) or abusive (one client, one source).", "Watch response times and error rates of the service and its dependencies as the load holds."]
                : ["Check whether clients can still reach the service (DNS, load balancer, certificates) and whether the tracking itself still runs.", "Compare with the upstream services that call it."],
            Scoring.Severity(Math.Abs(z), _options.VolumeThreshold),
            Scoring.Confidence((long)Math.Max(current, baseline.Mean), Math.Abs(z), _options.VolumeThreshold),
            Evidence("eventsPerWindow", c, current, baseline, sigma, z, _options.VolumeThreshold, current, new() { ["direction"] = direction }));
    }

    private Detection? FailedLogins(Context c)
    {
        var current = FailedLogins(c.Current);
        if (current < _options.FailedLoginBurst)
        {
            return null;
        }

        var baseline = Baseline.Of(c.History.Select(s => (double)FailedLogins(s)).ToList());
        var sigma = baseline.StdDevAtLeast(Math.Max(1, Math.Sqrt(baseline.Mean)));
        var z = (current - baseline.Mean) / sigma;
        if (z < 3)
        {
            return null;
        }

        return new Detection(
            $"security/failedLogins/{c.Service}", InsightTypes.Security, c.Service,
            F($"Burst of {current} failed logins in {c.Service}"),
            F($"{current} failed logins in {c.Service} in the last {Span(_options.Window)}, against {baseline.Mean:0.#} per window before ({z:0.#}σ above)."),
            ["Look for one source or one account behind the failures (query_events filtered to the login events).",
             "Rate-limit or challenge (CAPTCHA) the login endpoint; lock accounts under attack.",
             "Check whether credentials leaked if the failures target many accounts."],
            Scoring.Severity(current, _options.FailedLoginBurst),
            Scoring.Confidence(current, z, 3),
            Evidence("failedLogins", c, current, baseline, sigma, z, _options.FailedLoginBurst, current, null));
    }

    private static long FailedLogins(ServiceRollup? rollup) => rollup?.LoginCounts().Failed ?? 0;

    private static InsightEvidence Evidence(
        string metric, Context c, double current, Baseline baseline, double sigma, double z, double threshold, long sample, Dictionary<string, string>? details) => new()
    {
        Metric = metric,
        Window = c.Window,
        Baseline = c.BaselineRange,
        Current = Math.Round(current, 2),
        BaselineMean = Math.Round(baseline.Mean, 2),
        BaselineStdDev = Math.Round(sigma, 2),
        ZScore = Math.Round(z, 2),
        Threshold = threshold,
        SampleSize = sample,
        BaselineWindows = baseline.Windows,
        Details = details,
    };

    private sealed record Context(string Service, ServiceRollup? Current, List<ServiceRollup?> History, TimeRange Window, TimeRange BaselineRange);
}
