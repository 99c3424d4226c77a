using System.Diagnostics;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Analytics;

/// <summary>
/// What analytics know about the held events — rollups per time bucket and open correlation chains — kept current
/// by following the store's change feed from the start, so after a restart it is rebuilt from what the store holds.
/// Readers call <see cref="FeedFollower.CatchUpAsync(CancellationToken)"/> first, so an answer includes every event stored before it was asked.
/// </summary>
internal sealed partial class AnalyticsProjection : FeedFollower
{
    private const long HourMs = 3_600_000;

    private readonly Lock _gate = new();
    private readonly TimeSpan _bucketWidth;
    private readonly TimeSpan[] _windows;
    private readonly int _maxOpenChains;
    private readonly TimeSpan _lookBack;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan? _detailedFor;
    private long _coarsenedBefore = long.MinValue;
    private RollupTimeline _timeline;
    private CorrelationChainTracker _chains;
    private SourceFanOut _sources = new();

    public AnalyticsProjection(
        IEventStore store, IOptions<EventStoreOptions> options, IOptions<SuggestionOptions> suggestions, TimeProvider time, ILogger<AnalyticsProjection> logger)
        : base(store, time, logger)
    {
        var rules = suggestions.Value;
        _windows = [rules.Window, rules.SpikeWindow, rules.SpikeWindow + rules.SpikeBaseline, rules.FailedLoginWindow];
        _maxOpenChains = options.Value.MaxOpenChains;
        _lookBack = rules.Window;
        _clock = time;
        _logger = logger;
        _bucketWidth = options.Value.RollupBucketWidth;
        _timeline = new RollupTimeline(_bucketWidth, _windows);
        _chains = new CorrelationChainTracker(_maxOpenChains);
        if (store is IRollupStore && TimeSpan.FromHours(1).Ticks % _bucketWidth.Ticks == 0)
        {
            _detailedFor = Max(options.Value.DetailedRollupsFor, _windows.Max() + TimeSpan.FromHours(1));
        }

        Start(store is IRollupStore rollups ? LoadStored(rollups) : FeedPosition.Start);
    }

    /// <summary>
    /// How far back ranged analytics keep bucket resolution, when history before that is kept per hour (a store that
    /// keeps rollups itself, <see cref="IRollupStore"/>); null when every bucket is kept.
    /// </summary>
    public TimeSpan? DetailedFor => _detailedFor;

    /// <summary>Rollups of the events in [<paramref name="from"/>, <paramref name="to"/>]: exact over all held events, otherwise to bucket resolution.</summary>
    public RollupSet Summarize(long? from, long? to)
    {
        lock (_gate)
        {
            return _timeline.Summarize(from, to, serviceName: null, _clock.GetUtcNow().ToUnixTimeMilliseconds());
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
            return _timeline.Summarize(from, to, serviceName, _clock.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>The width of the rollup buckets in milliseconds: the finest resolution of any series.</summary>
    public long BucketWidth => (long)_bucketWidth.TotalMilliseconds;

    /// <summary>Rollups per slot of <paramref name="width"/> milliseconds over [<paramref name="from"/>, <paramref name="to"/>], empty slots included.</summary>
    public List<(long Start, RollupSet Rollups)> Series(long from, long to, long width, string? serviceName)
    {
        lock (_gate)
        {
            return _timeline.Series(from, to, width, serviceName);
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

    /// <summary>
    /// Correlation chains that started at or before <paramref name="startedBefore"/>, within the suggestion window before
    /// it (a chain older than that is no longer anyone's open request), and have not finished, per service.
    /// </summary>
    public IReadOnlyDictionary<string, ChainCount> OpenChainsStartedBefore(long startedBefore)
    {
        lock (_gate)
        {
            return _chains.OpenChainsStarted(startedBefore - (long)_lookBack.TotalMilliseconds, startedBefore);
        }
    }

    // A store that keeps rollups (PostgreSQL) hands them over as of a position, and the feed is followed from there: a
    // node starting over millions of events reads a few rows per minute of history, and its memory does not grow with
    // the events held. Correlation chains and session fan-out look back one suggestion window only: the events of that
    // window that carry a correlation or session id are read again, up to the same position.
    private FeedPosition LoadStored(IRollupStore store)
    {
        if (_bucketWidth.Ticks % store.RollupBucketWidth.Ticks != 0)
        {
            throw new StoreUnavailableException(
                $"{nameof(EventStoreOptions.RollupBucketWidth)} must be a multiple of the store's rollup buckets ({store.RollupBucketWidth}).");
        }

        var started = Stopwatch.GetTimestamp();
        _coarsenedBefore = CoarseBefore();
        var rollups = store.ReadRollupsAsync(_coarsenedBefore, CancellationToken.None).GetAwaiter().GetResult();
        StoredRollupLoader.Load(_timeline, rollups);
        var loaded = Stopwatch.GetElapsedTime(started);
        var since = _clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)_lookBack.TotalMilliseconds;
        var linkedEvents = 0;
        foreach (var linked in store.ReadLinkedAsync(since, rollups.At, CancellationToken.None).ToBlockingEnumerable())
        {
            _chains.Observe(linked);
            _sources.Observe(linked);
            linkedEvents++;
        }

        var rows = rollups.Names.Count + rollups.Services.Count + rollups.Latencies.Count;
        var linkedTime = Stopwatch.GetElapsedTime(started) - loaded;
        LogLoaded(_logger, rows, loaded.TotalMilliseconds, linkedEvents, linkedTime.TotalMilliseconds);
        return rollups.At;
    }

    protected override void Apply(IReadOnlyList<StoreChange> changes)
    {
        lock (_gate)
        {
            var late = false;
            foreach (var change in changes)
            {
                switch (change.Kind)
                {
                    case StoreChangeKind.Appended:
                        late |= change.Record!.Timestamp < _coarsenedBefore;
                        _timeline.Add(change.Record!);
                        _chains.Observe(change.Record!);
                        _sources.Observe(change.Record!);
                        break;
                    case StoreChangeKind.Removed:
                        _timeline.Remove(change.Record!);
                        _chains.Evicted(change.Record!);
                        break;
                    case StoreChangeKind.RemovedBefore:
                        _timeline.RemoveBefore(change.Before);
                        break;
                    default:
                        _timeline = new RollupTimeline(_bucketWidth, _windows);
                        _chains = new CorrelationChainTracker(_maxOpenChains);
                        _sources = new SourceFanOut();
                        break;
                }
            }

            // History past the detailed span is merged per hour, and so is an event that arrives for it late: as a node
            // starting now reads it from the store.
            if (CoarseBefore() is var before && (before > _coarsenedBefore || late))
            {
                _coarsenedBefore = Math.Max(_coarsenedBefore, before);
                _timeline.Coarsen(_coarsenedBefore, _clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
    }

    // The hour before which history is kept per hour: the same on every node at the same time, so nodes agree.
    private long CoarseBefore()
    {
        if (_detailedFor is not { } detailed)
        {
            return long.MinValue;
        }

        var before = _clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)detailed.TotalMilliseconds;
        return before - (((before % HourMs) + HourMs) % HourMs);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Analytics: read {Rows} stored rollup rows in {RollupMilliseconds:0} ms and {Linked} events with a correlation or session id in {LinkedMilliseconds:0} ms.")]
    private static partial void LogLoaded(ILogger logger, int rows, double rollupMilliseconds, int linked, double linkedMilliseconds);
}
