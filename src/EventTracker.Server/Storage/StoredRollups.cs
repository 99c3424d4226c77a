namespace EventTracker.Server.Storage;

/// <summary>Rollups read from a store, counting exactly the events up to <see cref="At"/>.</summary>
internal sealed record StoredRollups(
    FeedPosition At,
    IReadOnlyList<StoredNameRollup> Names,
    IReadOnlyList<StoredServiceRollup> Services,
    IReadOnlyList<StoredLatencyBin> Latencies);
