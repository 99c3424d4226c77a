using EventTracker.Contracts;

namespace EventTracker.Server.Insights;

/// <summary>
/// Where insight episodes live beyond one evaluation, and who evaluates: in one process, the engine itself
/// (<see cref="LocalInsightLedger"/>); with several nodes over one database, one evaluation at a time on any node,
/// each continuing the episodes stored there, and every node answers from, and pushes from, that record
/// (<see cref="PostgresInsightLedger"/>).
/// </summary>
internal interface IInsightLedger
{
    /// <summary>Waits for this node's turn to evaluate; not leading when the record cannot be reached.</summary>
    ValueTask<InsightLead> LeadAsync(CancellationToken cancellationToken);

    /// <summary>An id no other episode has, on any node.</summary>
    string NewEpisodeId(string type);

    /// <summary>Keeps what one evaluation changed (within its lease), and tells the live streams, once, of the episodes it <paramref name="opened"/>.</summary>
    ValueTask RecordAsync(IReadOnlyList<RecordedEpisode> changed, IReadOnlyList<AIInsight> opened, CancellationToken cancellationToken);

    /// <summary>The insights to answer queries from; null when the engine's own history is the record.</summary>
    ValueTask<IReadOnlyList<AIInsight>?> ReadHistoryAsync(CancellationToken cancellationToken);
}
