namespace EventTracker.Server.Storage.Durable;

/// <summary>One append read back from the log: the sequence its first event had, its time, its batch id and its events.</summary>
internal readonly record struct RecoveredFrame(long FirstSequence, long Timestamp, string? BatchId, IReadOnlyList<NewEvent> Events);
