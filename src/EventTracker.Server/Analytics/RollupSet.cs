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
