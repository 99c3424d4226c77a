namespace EventTracker.Server.Storage;

/// <summary>How many of one service's response times in one bucket fell in one <see cref="LatencyBins"/> bin.</summary>
internal readonly record struct StoredLatencyBin(long Bucket, string? Service, int Bin, long Count);
