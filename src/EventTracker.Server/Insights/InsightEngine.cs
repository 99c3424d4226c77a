using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Streams;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Insights;

/// <summary>
/// Turns what the detectors find into insights with a life: a condition found again continues its episode (same id,
/// fresh numbers), one no longer found closes it, and a new episode is pushed as an <c>insight</c> message to the
/// live-stream readers of its service (and those of every service). Evaluated on a timer (<see cref="InsightMonitor"/>) and whenever insights are asked for,
/// so answers are never stale; the last <see cref="InsightOptions.History"/> insights are kept for queries.
/// </summary>
internal sealed class InsightEngine
{
    private readonly AnalyticsProjection _projection;
    private readonly EventBroadcaster _broadcaster;
    private readonly TimeProvider _time;
    private readonly InsightOptions _options;
    private readonly AnomalyDetector _anomalies;
    private readonly PatternDetector _patterns;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AIInsight> _open = new(StringComparer.Ordinal);
    private readonly LinkedList<AIInsight> _history = new();
    private long _episodes;
    private DateTimeOffset _evaluatedAt;

    public InsightEngine(AnalyticsProjection projection, EventBroadcaster broadcaster, TimeProvider time, IOptions<InsightOptions> options)
    {
        _projection = projection;
        _broadcaster = broadcaster;
        _time = time;
        _options = options.Value;
        _anomalies = new AnomalyDetector(_options);
        _patterns = new PatternDetector(_options);
    }

    /// <summary>Runs the detectors now, updating episodes and pushing new ones to the streams.</summary>
    public DateTimeOffset Evaluate()
    {
        var now = _time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var found = _anomalies.Detect(_projection, nowMs).Concat(_patterns.Detect(_projection, nowMs)).ToList();
        var raised = new List<AIInsight>();
        lock (_gate)
        {
            var stillOpen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var detection in found)
            {
                stillOpen.Add(detection.Key);
                var existing = _open.GetValueOrDefault(detection.Key);
                var insight = ToInsight(detection, existing?.Id ?? $"ins-{Interlocked.Increment(ref _episodes)}-{detection.Type}", existing?.DetectedAt ?? now, now);
                _open[detection.Key] = insight;
                Remember(insight, existing);
                if (existing is null)
                {
                    raised.Add(insight);
                }
            }

            foreach (var key in _open.Keys.Where(k => !stillOpen.Contains(k)).ToList())
            {
                ReplaceInHistory(Close(_open[key]));
                _open.Remove(key);
            }

            _evaluatedAt = now;
        }

        foreach (var insight in raised)
        {
            _broadcaster.PublishAbout(insight.ServiceName, Envelope.Serialize(StreamMessageTypes.Insight, insight, EventTrackerJsonContext.Default.AIInsight));
        }

        return now;
    }

    /// <summary>Answers <c>GET /api/events/insights</c> (and the MCP tool): evaluates, then filters the open and past insights.</summary>
    public InsightsResponse Query(string? serviceName, string? type, long? from, long? to, int limit)
    {
        var evaluatedAt = Evaluate();
        lock (_gate)
        {
            var insights = _history
                .Where(i => serviceName is null || i.ServiceName == serviceName)
                .Where(i => type is null || i.Type == type)
                .Where(i => from is null || i.LastSeenAt.ToUnixTimeMilliseconds() >= from)
                .Where(i => to is null || i.DetectedAt.ToUnixTimeMilliseconds() <= to)
                .OrderByDescending(i => i.Open)
                .ThenByDescending(i => i.Priority)
                .ThenByDescending(i => i.DetectedAt)
                .Take(limit)
                .ToList();
            return new InsightsResponse { Insights = insights, EvaluatedAt = evaluatedAt };
        }
    }

    /// <summary>The insights open now about <paramref name="serviceName"/>, most important first.</summary>
    public IReadOnlyList<AIInsight> OpenFor(string serviceName) =>
        Query(serviceName, null, null, null, 50).Insights.Where(i => i.Open).ToList();

    private void Remember(AIInsight insight, AIInsight? previous)
    {
        if (previous is not null)
        {
            ReplaceInHistory(insight);
            return;
        }

        _history.AddFirst(insight);
        while (_history.Count > _options.History)
        {
            _history.RemoveLast();
        }
    }

    private void ReplaceInHistory(AIInsight insight)
    {
        for (var node = _history.First; node is not null; node = node.Next)
        {
            if (node.Value.Id == insight.Id)
            {
                node.Value = insight;
                return;
            }
        }
    }

    private static AIInsight Close(AIInsight insight) => new()
    {
        Id = insight.Id,
        Type = insight.Type,
        Priority = insight.Priority,
        Title = insight.Title,
        Description = insight.Description,
        Recommendations = insight.Recommendations,
        Impact = insight.Impact,
        Confidence = insight.Confidence,
        ServiceName = insight.ServiceName,
        DetectedAt = insight.DetectedAt,
        LastSeenAt = insight.LastSeenAt,
        Open = false,
        Evidence = insight.Evidence,
    };

    private static AIInsight ToInsight(Detection d, string id, DateTimeOffset detectedAt, DateTimeOffset now) => new()
    {
        Id = id,
        Type = d.Type,
        Priority = Math.Round(Weight(d.Type) * d.Severity, 2),
        Title = d.Title,
        Description = d.Description,
        Recommendations = d.Recommendations,
        Impact = Impact(d.Type, d.Severity),
        Confidence = d.Confidence,
        ServiceName = d.ServiceName,
        DetectedAt = detectedAt,
        LastSeenAt = now,
        Open = true,
        Evidence = d.Evidence,
    };

    // Failures and attacks outrank slowness, which outranks shifts in volume.
    private static double Weight(string type) => type switch
    {
        InsightTypes.Reliability or InsightTypes.Security => 1.0,
        InsightTypes.Performance => 0.9,
        InsightTypes.UserExperience => 0.8,
        _ => 0.7,
    };

    private static InsightImpact Impact(string type, double severity)
    {
        var (user, business, debt) = type switch
        {
            InsightTypes.Performance => (0.8, 0.5, 0.6),
            InsightTypes.Reliability => (0.9, 0.7, 0.5),
            InsightTypes.Security => (0.4, 0.8, 0.5),
            InsightTypes.UserExperience => (0.9, 0.7, 0.3),
            _ => (0.5, 0.5, 0.3),
        };
        return new InsightImpact { UserExperience = Math.Round(user * severity, 2), BusinessMetrics = Math.Round(business * severity, 2), TechnicalDebt = Math.Round(debt * severity, 2) };
    }
}
