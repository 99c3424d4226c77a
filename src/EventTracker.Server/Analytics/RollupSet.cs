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
        ServiceOf(record.ServiceName).Add(record);
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

    /// <summary>Adds rollups a store kept: the counts of one name.</summary>
    public void AddStored(StoredNameRollup stored)
    {
        ServiceOf(stored.Service).AddStored(stored);
        Count += stored.Count;
    }

    /// <summary>Adds rollups a store kept: a service's response-time sum and newest time.</summary>
    public void AddStored(StoredServiceRollup stored) => ServiceOf(stored.Service).AddStored(stored);

    /// <summary>Adds rollups a store kept: one bin of a service's response times, which lie within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public void AddStored(StoredLatencyBin stored, double min, double max) => ServiceOf(stored.Service).ResponseTimes.AddStored(stored.Bin, stored.Count, min, max);

    /// <summary>Adds these rollups (of <paramref name="serviceName"/> only, when given) to <paramref name="target"/>.</summary>
    public void MergeInto(RollupSet target, string? serviceName = null)
    {
        if (serviceName is not null)
        {
            if (Services.TryGetValue(serviceName, out var one))
            {
                Merge(target, one);
            }

            return;
        }

        foreach (var service in Services.Values)
        {
            Merge(target, service);
        }
    }

    /// <summary>Takes these rollups out of <paramref name="target"/>, which holds all of their events.</summary>
    public void SubtractFrom(RollupSet target)
    {
        foreach (var (key, service) in Services)
        {
            var held = target.Services[key];
            held.Subtract(service);
            target.Count -= service.Count;
            if (held.Count == 0)
            {
                target.Services.Remove(key);
            }
        }
    }

    private ServiceRollup ServiceOf(string? serviceName)
    {
        var key = serviceName ?? UnknownService;
        if (!Services.TryGetValue(key, out var service))
        {
            service = new ServiceRollup(key);
            Services.Add(key, service);
        }

        return service;
    }

    private static void Merge(RollupSet target, ServiceRollup service)
    {
        if (!target.Services.TryGetValue(service.ServiceName, out var merged))
        {
            merged = new ServiceRollup(service.ServiceName);
            target.Services.Add(service.ServiceName, merged);
        }

        merged.Merge(service);
        target.Count += service.Count;
    }
}
