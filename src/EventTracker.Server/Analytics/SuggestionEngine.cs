using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Analytics;

/// <summary>
/// Runs the suggestion rules over the analytics projection: slow services, high error rates, error spikes
/// against the service's own baseline, correlation chains that never finish, and failed-login bursts. Every answer
/// is computed when asked from the projection's incremental state (every window the rules read is kept sliding, so
/// an answer costs copies of the services asked about), and an event counts the moment it is stored.
/// </summary>
internal sealed class SuggestionEngine
{
    private readonly IEventStore _store;
    private readonly AnalyticsProjection _projection;
    private readonly TimeProvider _time;
    private readonly SuggestionOptions _options;

    public SuggestionEngine(IEventStore store, AnalyticsProjection projection, TimeProvider time, IOptions<SuggestionOptions> options)
    {
        _store = store;
        _projection = projection;
        _time = time;
        _options = options.Value;
    }

    /// <summary>The window label reported in the suggestions context, such as <c>last-24h</c>.</summary>
    public string WindowLabel => "last-" + FormatSpan(_options.Window);

    /// <summary>Suggestions about <paramref name="serviceName"/> (null means <c>unknown</c>), best first.</summary>
    public IReadOnlyList<AISuggestion> ForService(string? serviceName) =>
        Compute(Now(), serviceName ?? RollupSet.UnknownService).Select(f => f.Suggestion).ToList();

    /// <summary>Suggestions about any of <paramref name="serviceNames"/>, best first.</summary>
    public IReadOnlyList<AISuggestion> ForServices(IEnumerable<string?> serviceNames)
    {
        var now = Now();
        var findings = serviceNames.Select(s => s ?? RollupSet.UnknownService).Distinct(StringComparer.Ordinal)
            .SelectMany(service => Compute(now, service)).ToList();
        SortBest(findings);
        return findings.Select(f => f.Suggestion).ToList();
    }

    /// <summary>Answers <c>GET /api/events/suggestions</c>, over every event stored before it was asked.</summary>
    public async ValueTask<SuggestionsResponse> QueryAsync(string? serviceName, string? eventName, string? userId, int limit, CancellationToken cancellationToken)
    {
        await _projection.CatchUpAsync(cancellationToken);
        var now = Now();
        IEnumerable<ServiceRollup> scope = _projection.Window(_options.Window, now, serviceName).Services.Values;
        if (eventName is not null)
        {
            scope = scope.Where(s => s.Names.ContainsKey(eventName));
        }

        if (userId is not null)
        {
            var userServices = (await _store.QueryAsync(new EventFilter { UserId = userId }, WindowStart(now), null, 1, null, cancellationToken)).Services;
            scope = scope.Where(s => userServices.Contains(s.ServiceName));
        }

        var services = scope.ToList();
        var names = services.Select(s => s.ServiceName).ToHashSet(StringComparer.Ordinal);
        return new SuggestionsResponse
        {
            Suggestions = Compute(now, serviceName).Where(f => names.Contains(f.ServiceName)).Select(f => f.Suggestion).Take(limit).ToList(),
            Context = new SuggestionContext
            {
                ServiceName = serviceName,
                EventName = eventName,
                UserId = userId,
                TimeRange = WindowLabel,
                TotalEvents = eventName is null
                    ? services.Sum(s => s.Count)
                    : services.Sum(s => s.Names[eventName].Count),
            },
        };
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long WindowStart(long now) => now - Ms(_options.Window);

    /// <summary>The findings about <paramref name="only"/>, or about every service when null, best first.</summary>
    private List<Finding> Compute(long now, string? only)
    {
        var figures = _projection.Read(timeline =>
        {
            var window = timeline.LiveWindow(_options.Window, now);
            var recent = timeline.LiveWindow(_options.SpikeWindow, now);
            var recentAndBaseline = timeline.LiveWindow(_options.SpikeWindow + _options.SpikeBaseline, now);
            var logins = timeline.LiveWindow(_options.FailedLoginWindow, now);
            IEnumerable<ServiceRollup> services = only is null ? window.Services.Values : window.Services.TryGetValue(only, out var one) ? [one] : [];
            return services.Select(s => ServiceFigures.Of(
                s, recent.Services.GetValueOrDefault(s.ServiceName), recentAndBaseline.Services.GetValueOrDefault(s.ServiceName), logins.Services.GetValueOrDefault(s.ServiceName))).ToList();
        });
        var chains = _projection.OpenChainsStartedBefore(now - Ms(_options.UnfinishedChainAfter));

        var findings = new List<Finding>();
        foreach (var service in figures)
        {
            AddIfAny(findings, service.ServiceName, SlowService(service));
            AddIfAny(findings, service.ServiceName, HighErrorRate(service));
            AddIfAny(findings, service.ServiceName, ErrorSpike(service));
            AddIfAny(findings, service.ServiceName, FailedLoginBurst(service));
        }

        foreach (var (service, count) in chains)
        {
            if (only is null || only == service)
            {
                AddIfAny(findings, service, UnfinishedChains(service, count));
            }
        }

        SortBest(findings);
        return findings;
    }

    private static void SortBest(List<Finding> findings) =>
        findings.Sort((a, b) => (b.Suggestion.Score ?? 0).CompareTo(a.Suggestion.Score ?? 0));

    private AISuggestion? SlowService(ServiceFigures service)
    {
        var n = service.ResponseCount;
        if (n < _options.MinSampleSize || service.AverageResponseTime is not { } avg)
        {
            return null;
        }

        var p95 = service.P95 ?? 0;
        var overAvg = avg / _options.SlowAverageMs;
        var overP95 = p95 / _options.SlowP95Ms;
        if (overAvg < 1 && overP95 < 1)
        {
            return null;
        }

        var name = service.ServiceName;
        return new AISuggestion
        {
            Id = $"sug-slow-{name}",
            Title = "Reduce API Response Time",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Your {name} calls average {avg:0}ms (p95 {p95:0}ms). Consider caching frequently accessed data or profiling the slowest endpoints."),
            Score = Score(Math.Max(overAvg, overP95)),
            Action = Link("View Performance Analysis", $"/api/events/services?serviceName={Uri.EscapeDataString(name)}&from={FormatSpan(_options.Window)}"),
            Tags = ["performance", "api", "latency"],
            BasedOn = Basis($"High response times in {name}", n),
        };
    }

    private AISuggestion? HighErrorRate(ServiceFigures service)
    {
        if (service.Count < _options.MinSampleSize)
        {
            return null;
        }

        var rate = ServiceAnalytics.Percentage(service.Errors, service.Count);
        if (rate < _options.HighErrorRatePercent)
        {
            return null;
        }

        var name = service.ServiceName;
        return new AISuggestion
        {
            Id = $"sug-errors-{name}",
            Title = "Investigate High Error Rate",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{rate:0.#}% of {name} events are errors ({service.Errors} of {service.Count}). Check the failing events and recent deployments."),
            Score = Score(rate / _options.HighErrorRatePercent),
            Action = Link("View Error Events", ErrorEventsLink(name)),
            Tags = ["reliability", "errors"],
            BasedOn = Basis($"Error rate {rate:0.#}% in {name}", service.Count),
        };
    }

    private AISuggestion? ErrorSpike(ServiceFigures service)
    {
        if (service.RecentCount < _options.MinSampleSize / 2 || service.RecentErrors == 0)
        {
            return null;
        }

        var recentRate = 100.0 * service.RecentErrors / service.RecentCount;
        var baselineRate = service.BaselineCount > 0 ? 100.0 * service.BaselineErrors / service.BaselineCount : 0;
        if (service.BaselineCount < _options.MinSampleSize
            || recentRate < _options.SpikeFactor * baselineRate || recentRate - baselineRate < _options.HighErrorRatePercent)
        {
            return null;
        }

        var name = service.ServiceName;
        return new AISuggestion
        {
            Id = $"sug-spike-{name}",
            Title = "Error Rate Spike",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{name} errors rose to {recentRate:0.#}% in the last {FormatSpan(_options.SpikeWindow)} from a baseline of {baselineRate:0.#}%. Investigate recent deployments or external dependencies."),
            Score = Score(recentRate / Math.Max(baselineRate, 1)),
            Action = Link("View Recent Errors", ErrorEventsLink(name, FormatSpan(_options.SpikeWindow))),
            Tags = ["reliability", "anomaly", "errors"],
            BasedOn = Basis($"Error rate spike in {name} against its own baseline", service.RecentCount + service.BaselineCount),
        };
    }

    private AISuggestion? UnfinishedChains(string name, ChainCount chains)
    {
        if (chains.Count < _options.MinUnfinishedChains)
        {
            return null;
        }

        return new AISuggestion
        {
            Id = $"sug-chains-{name}",
            Title = "Requests That Never Finish",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{chains.Count} {name} flows started with '{chains.ExampleStartName}' and never recorded a success or error after {FormatSpan(_options.UnfinishedChainAfter)}. Look for timeouts, crashes or missing tracking."),
            Score = Score(chains.Count / (double)_options.MinUnfinishedChains),
            Action = Link("View Started Flows", $"/api/events?serviceName={Uri.EscapeDataString(name)}&eventName={Uri.EscapeDataString(chains.ExampleStartName)}"),
            Tags = ["reliability", "drop-off", "correlation"],
            BasedOn = Basis($"Correlation chains starting with {chains.ExampleStartName} and never finishing", chains.Count),
        };
    }

    private AISuggestion? FailedLoginBurst(ServiceFigures service)
    {
        var (failed, logins) = (service.FailedLogins, service.Logins);
        if (failed < _options.FailedLoginBurst)
        {
            return null;
        }

        var name = service.ServiceName;
        return new AISuggestion
        {
            Id = $"sug-logins-{name}",
            Title = "Burst of Failed Logins",
            Description = string.Create(CultureInfo.InvariantCulture,
                $"{failed} failed logins in {name} in the last {FormatSpan(_options.FailedLoginWindow)}. Check for credential stuffing and consider rate limiting or CAPTCHA."),
            Score = Score(failed / (double)_options.FailedLoginBurst),
            Action = Link("View Login Events", $"/api/events?serviceName={Uri.EscapeDataString(name)}&type=login&from={FormatSpan(_options.FailedLoginWindow)}"),
            Tags = ["security", "authentication"],
            BasedOn = Basis($"Failed logins in {name}", logins),
        };
    }

    private static void AddIfAny(List<Finding> findings, string service, AISuggestion? suggestion)
    {
        if (suggestion is not null)
        {
            findings.Add(new Finding(service, suggestion));
        }
    }

    private string ErrorEventsLink(string service, string? from = null) =>
        $"/api/events?serviceName={Uri.EscapeDataString(service)}&errorsOnly=true&from={from ?? FormatSpan(_options.Window)}";

    private static SuggestionAction Link(string label, string href) => new() { Label = label, Href = href, Method = "GET" };

    // Grows with the sample: 20 events give 0.5, 180 give 0.9.
    private static SuggestionBasis Basis(string pattern, long sampleSize) => new()
    {
        EventPattern = pattern,
        SampleSize = sampleSize,
        Confidence = Math.Round(sampleSize / (sampleSize + 20.0), 2),
    };

    // 1× the threshold scores 0.5, growing towards 0.99 as the excess grows.
    private static double Score(double timesThreshold) => Math.Round(Math.Min(0.99, 1 - (0.5 / Math.Max(1, timesThreshold))), 2);

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    /// <summary>A span as the API's relative time syntax: <c>30s</c>, <c>5m</c>, <c>24h</c>, <c>7d</c>.</summary>
    private static string FormatSpan(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays % 1 == 0 && span.TotalHours > 24 ? $"{span.TotalDays:0}d"
        : span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? $"{span.TotalHours:0}h"
        : span.TotalMinutes >= 1 && span.TotalMinutes % 1 == 0 ? $"{span.TotalMinutes:0}m"
        : $"{span.TotalSeconds:0}s";
}
