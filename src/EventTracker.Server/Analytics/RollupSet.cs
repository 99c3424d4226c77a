using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>Service rollups of a set of events: one time bucket, all held events, or a merged range.</summary>
internal sealed class RollupSet
{
    /// <summary>The service name analytics report for events that named none.</summary>
    public const string UnknownService = "unknown";

    public Dictionary<string, ServiceRollup> Services { get; } = new(StringComparer.Ordinal);

    public long Count { get; private set; }

    public void Add(EventRecord record)
    {
        var key = record.ServiceName ?? UnknownService;
        if (!Services.TryGetValue(key, out var service))
        {
            service = new ServiceRollup(key);
            Services.Add(key, service);
        }

        service.Add(record);
        Count++;
    }

    public void Remove(EventRecord record)
    {
        var key = record.ServiceName ?? UnknownService;
        var service = Services[key];
        service.Remove(record);
        if (service.Count == 0)
        {
            Services.Remove(key);
        }

        Count--;
    }

    public void MergeInto(RollupSet target)
    {
        foreach (var (key, service) in Services)
        {
            if (!target.Services.TryGetValue(key, out var merged))
            {
                merged = new ServiceRollup(key);
                target.Services.Add(key, merged);
            }

            merged.Merge(service);
        }

        target.Count += Count;
    }
}
