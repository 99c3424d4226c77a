namespace EventTracker.Server.Insights;

/// <summary>
/// Whether this node may evaluate insights now. <see cref="TakenOver"/>, when given, holds the episodes open in the
/// shared record, which the evaluation continues under their ids instead of its own; <see cref="Lease"/>, when given,
/// is held until the evaluation is recorded (disposing it gives the turn to the next evaluator).
/// </summary>
internal readonly record struct InsightLead(bool Leading, IReadOnlyList<RecordedEpisode>? TakenOver = null, IAsyncDisposable? Lease = null);
