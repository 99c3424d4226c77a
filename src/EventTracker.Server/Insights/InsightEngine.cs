using EventTracker.Contracts;
using EventTracker.Server.Alerts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Insights;

/// <summary>
/// Turns what the detectors find into insights with a life: a condition found again continues its episode (same id,
/// fresh numbers), one no longer found closes it, and a new episode is pushed as an <c>insight</c> message to the
/// live-stream readers of its service (and those of every service). Evaluated on a timer (<see cref="InsightMonitor"/>) and whenever insights are asked for,
/// so answers are never stale; the last <see cref="InsightOptions.History"/> insights are kept for queries. Episodes
/// live in the <see cref="IInsightLedger"/>: with several nodes, one evaluates at a time and all answer from the ledger.
/// </summary>
internal sealed class InsightEngine : IDisposable
{
    /// <summary>Insights one query returns unless it asks for fewer.</summary>
    public const int DefaultQueryLimit = 20;

    /// <summary>The most insights one query returns.</summary>
    public const int MaxQueryLimit = 200;

    private readonly AnalyticsProjection _projection;
    private readonly IInsightLedger _ledger;
    private readonly IInsightAlerts _alerts;
    private readonly TimeProvider _time;
    private readonly InsightOptions _options;
    private readonly AnomalyDetector _anomalies;
    private readonly PatternDetector _patterns;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _evaluating = new(1, 1);
    private readonly Dictionary<string, Episode> _open = new(StringComparer.Ordinal);
    private int _openCount;
    private readonly LinkedList<AIInsight> _history = new();
    private IReadOnlyList<BaselineStatus> _baselines = [];

    /// <summary>Insight episodes open as of the latest evaluation.</summary>
    public int OpenCount => Volatile.Read(ref _openCount);

    public InsightEngine(AnalyticsProjection projection, IInsightLedger ledger, TimeProvider time, IOptions<InsightOptions> options, IInsightAlerts alerts)
    {
        _projection = projection;
        _ledger = ledger;
        _alerts = alerts;
        _time = time;
        _options = options.Value;
        var history = _options.Window * (_options.BaselineWindows + 1);
        if (projection.DetailedFor is { } detailed && history + TimeSpan.FromHours(1) > detailed)
        {
            throw new OptionsValidationException(nameof(InsightOptions), typeof(InsightOptions), [
                $"Insights judge the last {history} (Window × (BaselineWindows + 1)) per bucket, but this store keeps buckets for {detailed} only: "
                + $"raise {nameof(EventStoreOptions)}.{nameof(EventStoreOptions.DetailedRollupsFor)} (EventTracker:Store:DetailedRollupsFor) to at least an hour more."]);
        }

        _anomalies = new AnomalyDetector(_options, projection.BucketWidth);
        _patterns = new PatternDetector(_options);
    }

    /// <summary>
    /// Runs the detectors now, updating episodes, pushing new ones to the streams and handing openings and closes to
    /// the alerts, over every event stored before it was asked. One evaluation at a time, each reading the clock inside: one that read the projection earlier never commits after one that read it later,
    /// which would close an episode the later one found and reopen it under a new id.
    /// </summary>
    public async ValueTask<DateTimeOffset> EvaluateAsync(CancellationToken cancellationToken)
    {
        await _projection.CatchUpAsync(cancellationToken);
        await _evaluating.WaitAsync(cancellationToken);
        try
        {
            var lead = await _ledger.LeadAsync(cancellationToken);
            await using (lead.Lease)
            {
                var (now, raised, closed, changed) = Evaluate(lead);
                Volatile.Write(ref _openCount, _open.Count);
                if (lead.Leading)
                {
                    // Still in order (one evaluation at a time): an episode's opening is told before a later evaluation can tell its close.
                    await _ledger.RecordAsync(changed, raised, cancellationToken);
                    _alerts.Publish(raised, closed);
                }

                return now;
            }
        }
        finally
        {
            _evaluating.Release();
        }
    }

    /// <summary>Answers <c>GET /api/events/insights</c> (and the MCP tool): evaluates, then filters the open and past insights.</summary>
    public async ValueTask<InsightsResponse> QueryAsync(string? serviceName, string? type, long? from, long? to, int limit, CancellationToken cancellationToken)
    {
        var evaluatedAt = await EvaluateAsync(cancellationToken);
        var recorded = await _ledger.ReadHistoryAsync(cancellationToken);
        lock (_gate)
        {
            var insights = (recorded ?? (IEnumerable<AIInsight>)_history)
                .Where(i => serviceName is null || i.ServiceName == serviceName)
                .Where(i => type is null || i.Type == type)
                .Where(i => from is null || i.LastSeenAt.ToUnixTimeMilliseconds() >= from)
                .Where(i => to is null || i.DetectedAt.ToUnixTimeMilliseconds() <= to)
                .OrderByDescending(i => i.Open)
                .ThenByDescending(i => i.Priority)
                .ThenByDescending(i => i.DetectedAt)
                .Take(limit)
                .ToList();
            return new InsightsResponse
            {
                Insights = insights,
                EvaluatedAt = evaluatedAt,
                Baselines = _baselines.Where(b => serviceName is null || b.ServiceName == serviceName).OrderBy(b => b.ServiceName, StringComparer.Ordinal).ToList(),
            };
        }
    }

    // Every node runs the detectors (so each can say what its baselines are); only the one leading keeps episodes.
    private (DateTimeOffset Now, List<AIInsight> Raised, List<AIInsight> Closed, List<RecordedEpisode> Changed) Evaluate(InsightLead lead)
    {
        var raised = new List<AIInsight>();
        var closed = new List<AIInsight>();
        var changed = new List<RecordedEpisode>();
        lock (_gate)
        {
            if (lead.TakenOver is { } takenOver)
            {
                _open.Clear();
                _history.Clear();
                foreach (var episode in takenOver)
                {
                    _open[episode.Detection.Key] = new Episode(episode.Detection, _history.AddFirst(episode.Insight));
                }
            }

            var now = _time.GetUtcNow();
            var nowMs = now.ToUnixTimeMilliseconds();
            var openAnomalies = _open.Where(e => e.Value.Detection.Plan is not null).ToDictionary(e => e.Key, e => e.Value.Detection, StringComparer.Ordinal);
            var baselines = new List<BaselineStatus>();
            var found = _anomalies.Detect(_projection, nowMs, openAnomalies, baselines).Concat(_patterns.Detect(_projection, nowMs)).ToList();
            _baselines = baselines;
            if (!lead.Leading)
            {
                return (now, raised, closed, changed);
            }

            var stillOpen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var detection in found)
            {
                stillOpen.Add(detection.Key);
                if (_open.TryGetValue(detection.Key, out var episode))
                {
                    var previous = episode.Entry.Value;
                    episode.Entry.Value = ToInsight(detection, previous.Id, previous.DetectedAt, now, open: true);
                    _open[detection.Key] = episode with { Detection = detection };
                    changed.Add(new RecordedEpisode(detection, episode.Entry.Value));
                    continue;
                }

                var insight = ToInsight(detection, _ledger.NewEpisodeId(detection.Type), now, now, open: true);
                _open[detection.Key] = new Episode(detection, _history.AddFirst(insight));
                raised.Add(insight);
                changed.Add(new RecordedEpisode(detection, insight));
                while (_history.Count > _options.History)
                {
                    _history.RemoveLast(); // an episode still open keeps its (detached) entry and goes on updating it harmlessly
                }
            }

            foreach (var key in _open.Keys.Where(k => !stillOpen.Contains(k)).ToList())
            {
                var (detection, entry) = _open[key];
                entry.Value = ToInsight(detection, entry.Value.Id, entry.Value.DetectedAt, entry.Value.LastSeenAt, open: false);
                closed.Add(entry.Value);
                changed.Add(new RecordedEpisode(detection, entry.Value));
                _open.Remove(key);
            }

            return (now, raised, closed, changed);
        }
    }

    public void Dispose() => _evaluating.Dispose();

    /// <summary>The insights open now about <paramref name="serviceName"/>, most important first.</summary>
    public async ValueTask<IReadOnlyList<AIInsight>> OpenForAsync(string serviceName, CancellationToken cancellationToken) =>
        (await QueryAsync(serviceName, null, null, null, 50, cancellationToken)).Insights.Where(i => i.Open).ToList();

    private static AIInsight ToInsight(Detection d, string id, DateTimeOffset detectedAt, DateTimeOffset lastSeenAt, bool open) => new()
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
        LastSeenAt = lastSeenAt,
        Open = open,
        Evidence = d.Evidence,
    };

    /// <summary>An open condition: what was last found, and its entry in the history, which is updated in place.</summary>
    private sealed record Episode(Detection Detection, LinkedListNode<AIInsight> Entry);

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
