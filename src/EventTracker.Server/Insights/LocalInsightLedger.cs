using EventTracker.Contracts;
using EventTracker.Server.Streams;

namespace EventTracker.Server.Insights;

/// <summary>One process: it always evaluates, its own history is the record, and new episodes go straight to its readers.</summary>
internal sealed class LocalInsightLedger(EventBroadcaster broadcaster) : IInsightLedger
{
    private long _episodes;

    public ValueTask<InsightLead> LeadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new InsightLead(Leading: true));

    public string NewEpisodeId(string type) => $"ins-{Interlocked.Increment(ref _episodes)}-{type}";

    public ValueTask RecordAsync(IReadOnlyList<RecordedEpisode> changed, IReadOnlyList<AIInsight> opened, CancellationToken cancellationToken)
    {
        foreach (var insight in opened)
        {
            broadcaster.PublishAbout(insight.ServiceName, Envelope.Serialize(StreamMessageTypes.Insight, insight, EventTrackerJsonContext.Default.AIInsight));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<AIInsight>?> ReadHistoryAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<AIInsight>?>(null);
}
