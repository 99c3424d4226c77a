using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>Fills a <see cref="RollupTimeline"/> from the rollups a store kept (<see cref="IRollupStore"/>), bucket by bucket.</summary>
internal static class StoredRollupLoader
{
    public static void Load(RollupTimeline timeline, StoredRollups rollups)
    {
        var buckets = new SortedDictionary<long, RollupSet>();
        RollupSet Bucket(long start)
        {
            if (!buckets.TryGetValue(start, out var set))
            {
                set = new RollupSet();
                buckets.Add(start, set);
            }

            return set;
        }

        var bounds = new Dictionary<(long, string?), (double Min, double Max)>();
        foreach (var service in rollups.Services)
        {
            Bucket(service.Bucket).AddStored(service);
            bounds[(service.Bucket, service.Service)] = (service.MinMs, service.MaxMs);
        }

        foreach (var name in rollups.Names)
        {
            Bucket(name.Bucket).AddStored(name);
        }

        foreach (var bin in rollups.Latencies)
        {
            var (min, max) = bounds[(bin.Bucket, bin.Service)];
            Bucket(bin.Bucket).AddStored(bin, min, max);
        }

        foreach (var (start, set) in buckets)
        {
            timeline.AddStored(start, set);
        }
    }
}
