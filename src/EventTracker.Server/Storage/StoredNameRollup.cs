namespace EventTracker.Server.Storage;

/// <summary>How many events of one name one service had in one bucket, and how many were errors.</summary>
internal readonly record struct StoredNameRollup(long Bucket, string? Service, string Name, long Count, long Errors);
