namespace EventTracker.Server.Storage;

/// <summary>One service in one bucket: the sum, least and greatest of its response times, and its newest event time.</summary>
internal readonly record struct StoredServiceRollup(long Bucket, string? Service, long ResponseTimeMicroseconds, double MinMs, double MaxMs, long LastSeen);
