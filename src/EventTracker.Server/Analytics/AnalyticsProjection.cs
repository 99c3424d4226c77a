using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Analytics;

/// <summary>
/// What analytics know about the held events — rollups per time bucket and open correlation chains — kept current
/// from the store's change feed. Subscribing replays the events the store already holds, so after a restart the
/// projection is rebuilt from the store before it answers anything.
/// </summary>
internal sealed class AnalyticsProjection : IEventStoreObserver, IDisposable
{
    private readonly Lock _gate = new();
    private readonly RollupTimeline _timeline;
    private readonly CorrelationChainTracker _chains;
    private readonly SourceFanOut _sources = new();
    private readonly IDisposable _subscription;

    public AnalyticsProjection(IEventStore store, IOptions<EventStoreOptions> options, IOptions<SuggestionOptions> suggestions)
    {
        var rules = suggestions.Value;
        _timeline = new RollupTimeline(
            options.Value.RollupBucketWidth,
            [rules.Window, rules.SpikeWindow, rules.SpikeWindow + rules.SpikeBaseline, rules.FailedLoginWindow]);
        _chains = new CorrelationChainTracker(options.Value.MaxOpenChains);
        _subscription = store.Subscribe(this);
    }

    /// <summary>Rollups of the events in [<paramref name="from"/>, <paramref name="to"/>]: exact over all held events, otherwise to bucket resolution.</summary>
    public RollupSet Summarize(long? from, long? to)
    {
        lock (_gate)
        {
            return _timeline.Summarize(from, to);
        }
    }

    /// <summary>
    /// Rollups (of <paramref name="serviceName"/> only, when given) of the last <paramref name="span"/> ending at
    /// <paramref name="now"/>: one of the suggestion rules' windows, which are kept sliding.
    /// </summary>
    public RollupSet Window(TimeSpan span, long now, string? serviceName = null)
    {
        lock (_gate)
        {
            return _timeline.Window(span, now, serviceName);
        }
    }

    /// <summary>Runs <paramref name="read"/> over the timeline while it is locked: for readers that take a few numbers, not copies.</summary>
    public T Read<T>(Func<RollupTimeline, T> read)
    {
        lock (_gate)
        {
            return read(_timeline);
        }
    }

    /// <summary>Rollups of <paramref name="serviceName"/> only in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public RollupSet Summarize(long? from, long? to, string serviceName)
    {
        lock (_gate)
        {
            return _timeline.Summarize(from, to, serviceName);
        }
    }

    /// <summary>The width of the rollup buckets in milliseconds: the finest resolution of any series.</summary>
    public long BucketWidth => _timeline.BucketWidth;

    /// <summary>Rollups per slot of <paramref name="width"/> milliseconds over [<paramref name="from"/>, <paramref name="to"/>], empty slots included.</summary>
    public List<(long Start, RollupSet Rollups)> Series(long from, long to, long width, string? serviceName)
    {
        lock (_gate)
        {
            return _timeline.Series(from, to, width, serviceName);
        }
    }

    /// <summary>Events per UTC day in [<paramref name="from"/>, <paramref name="to"/>] (bucket resolution), oldest day first, as (day start in ms, count).</summary>
    public IReadOnlyList<(long DayStart, long Count)> CountPerDay(long? from, long? to)
    {
        lock (_gate)
        {
            return _timeline.CountPerDay(from, to);
        }
    }

    /// <summary>Sessions that acted for at least <paramref name="minUsers"/> distinct users since <paramref name="since"/>.</summary>
    public List<(string Session, string Service, int Users)> SourcesActingForManyUsers(long since, int minUsers)
    {
        lock (_gate)
        {
            return _sources.Since(since, minUsers);
        }
    }

    /// <summary>Correlation chains that started at or before <paramref name="startedBefore"/> and have not finished, per service.</summary>
    public IReadOnlyDictionary<string, ChainCount> OpenChainsStartedBefore(long startedBefore)
    {
        lock (_gate)
        {
            return _chains.OpenChainsStartedBefore(startedBefore);
        }
    }

    public void OnSubscribed(IReadOnlyList<EventRecord> held, long nextSequence) => OnAppended(held);

    public void OnAppended(IReadOnlyList<EventRecord> records)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                _timeline.Add(record);
                _chains.Observe(record);
                _sources.Observe(record);
            }
        }
    }

    public void OnEvicted(EventRecord record)
    {
        lock (_gate)
        {
            _timeline.Remove(record);
            _chains.Evicted(record);
        }
    }

    public void Dispose() => _subscription.Dispose();
}
