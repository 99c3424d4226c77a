using EventTracker.Server.Storage;

namespace EventTracker.Server.Analytics;

/// <summary>Running aggregates of one service's events: counts, errors, response times and names.</summary>
internal sealed class ServiceRollup
{
    public ServiceRollup(string serviceName) => ServiceName = serviceName;

    public string ServiceName { get; }

    public long Count { get; private set; }

    public long Errors { get; private set; }

    /// <summary>The response times added up, in microseconds (<see cref="ResponseTimeTotal"/>).</summary>
    public long ResponseTimeMicroseconds { get; private set; }

    public LatencyHistogram ResponseTimes { get; } = new();

    public long LastSeen { get; private set; }

    public Dictionary<string, NameRollup> Names { get; } = new(StringComparer.Ordinal);

    public double? AverageResponseTime =>
        ResponseTimes.Count == 0 ? null : ResponseTimeTotal.Average(ResponseTimeMicroseconds, ResponseTimes.Count);

    public void Add(EventRecord record)
    {
        var isError = record.IsError;
        Count++;
        Errors += isError ? 1 : 0;
        if (record.ResponseTimeMs is { } ms)
        {
            ResponseTimeMicroseconds += ResponseTimeTotal.Of(ms);
            ResponseTimes.Add(ms);
        }

        LastSeen = Math.Max(LastSeen, record.Timestamp);
        if (!Names.TryGetValue(record.Name, out var name))
        {
            name = new NameRollup();
            Names.Add(record.Name, name);
        }

        name.Count++;
        name.Errors += isError ? 1 : 0;
    }

    /// <summary>Takes an evicted event out again. <see cref="LastSeen"/> stays: the newest event outlives the oldest.</summary>
    public void Remove(EventRecord record)
    {
        var isError = record.IsError;
        Count--;
        Errors -= isError ? 1 : 0;
        if (record.ResponseTimeMs is { } ms)
        {
            ResponseTimeMicroseconds -= ResponseTimeTotal.Of(ms);
            ResponseTimes.Remove(ms);
        }

        var name = Names[record.Name];
        name.Count--;
        name.Errors -= isError ? 1 : 0;
        if (name.Count == 0)
        {
            Names.Remove(record.Name);
        }
    }

    /// <summary>Adds the events of one name that a store counted in its rollups.</summary>
    public void AddStored(StoredNameRollup stored)
    {
        Count += stored.Count;
        Errors += stored.Errors;
        if (!Names.TryGetValue(stored.Name, out var name))
        {
            name = new NameRollup();
            Names.Add(stored.Name, name);
        }

        name.Count += stored.Count;
        name.Errors += stored.Errors;
    }

    /// <summary>Adds the response-time sum and newest time that a store kept in its rollups.</summary>
    public void AddStored(StoredServiceRollup stored)
    {
        ResponseTimeMicroseconds += stored.ResponseTimeMicroseconds;
        LastSeen = Math.Max(LastSeen, stored.LastSeen);
    }

    /// <summary>Events whose name mentions a login, and how many of those were errors: what the failed-login rules count.</summary>
    public (long Logins, long Failed) LoginCounts()
    {
        long logins = 0, failed = 0;
        foreach (var (eventName, counts) in Names)
        {
            if (eventName.Contains("login", StringComparison.OrdinalIgnoreCase))
            {
                logins += counts.Count;
                failed += counts.Errors;
            }
        }

        return (logins, failed);
    }

    /// <summary>Takes out the events of <paramref name="other"/>, all of which this rollup holds.</summary>
    public void Subtract(ServiceRollup other)
    {
        Count -= other.Count;
        Errors -= other.Errors;
        ResponseTimeMicroseconds -= other.ResponseTimeMicroseconds;
        ResponseTimes.Subtract(other.ResponseTimes);
        foreach (var (key, value) in other.Names)
        {
            var name = Names[key];
            name.Count -= value.Count;
            name.Errors -= value.Errors;
            if (name.Count == 0)
            {
                Names.Remove(key);
            }
        }
    }

    public void Merge(ServiceRollup other)
    {
        Count += other.Count;
        Errors += other.Errors;
        ResponseTimeMicroseconds += other.ResponseTimeMicroseconds;
        ResponseTimes.Merge(other.ResponseTimes);
        LastSeen = Math.Max(LastSeen, other.LastSeen);
        foreach (var (key, value) in other.Names)
        {
            if (!Names.TryGetValue(key, out var name))
            {
                name = new NameRollup();
                Names.Add(key, name);
            }

            name.Count += value.Count;
            name.Errors += value.Errors;
        }
    }
}
