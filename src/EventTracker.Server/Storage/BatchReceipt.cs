namespace EventTracker.Server.Storage;

/// <summary>What a batch was answered the first time it came: how many events were stored, and when.</summary>
internal readonly record struct BatchReceipt(int ProcessedCount, long Timestamp);
