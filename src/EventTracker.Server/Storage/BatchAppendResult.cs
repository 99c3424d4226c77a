namespace EventTracker.Server.Storage;

/// <summary>
/// The outcome of appending a batch: the newly stored records (empty for a replayed batch),
/// the number stored the first time the batch came, and when.
/// </summary>
internal sealed record BatchAppendResult(IReadOnlyList<EventRecord> Stored, int ProcessedCount, long Timestamp, bool Replayed);
