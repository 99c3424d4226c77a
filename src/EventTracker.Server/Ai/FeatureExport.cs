using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Ai;

/// <summary>
/// The guide's <c>MLFeatureSet</c> as one row per held event, oldest first, for training: the columns our events can
/// support (temporal, user and session, service, sequence, performance), computed from the analytics projection and
/// from what the export has seen so far — never from data we do not have (the business columns and <c>user_role</c>
/// are left out; the README lists them). Memory stays flat however many rows: the store is read in slices of at most
/// <see cref="SliceEvents"/> events, and the per-session, per-user and per-flow state is bounded.
/// </summary>
internal sealed class FeatureExport
{
    /// <summary>The columns, in order, with the guide's names where it has one.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "event_id", "timestamp", "hour_of_day", "day_of_week", "is_weekend", "is_business_hours",
        "user_id", "session_id", "session_duration", "events_per_session", "user_tenure_days",
        "service_name", "avg_response_time", "error_rate", "request_volume",
        "event_name", "event_frequency", "correlation_chain_length", "time_since_last_event",
        "response_time", "status_code", "is_error", "response_time_percentile", "error_count_last_hour", "success_rate",
    ];

    private const int SliceEvents = 10_000;
    private const int PageSize = 1_000;
    private const int MaxTracked = 100_000;
    private const long HourMs = 3_600_000;

    private readonly IEventStore _store;
    private readonly AnalyticsProjection _projection;

    public FeatureExport(IEventStore store, AnalyticsProjection projection)
    {
        _store = store;
        _projection = projection;
    }

    /// <summary>The rows of the events of <paramref name="serviceName"/> (all when null) in [<paramref name="from"/> (the earliest held when null), <paramref name="to"/>], oldest first.</summary>
    public IEnumerable<object?[]> Rows(string? serviceName, long? from, long to, CancellationToken cancellationToken)
    {
        var state = new ExportState();
        var filter = new EventFilter { ServiceName = serviceName };
        var start = from ?? _store.Query(filter, null, to, 1, null).EarliestTimestamp ?? to;
        foreach (var slice in Slices(filter, start, to))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in slice)
            {
                yield return Row(record, state);
            }
        }
    }

    // Time slices small enough to hold, read newest first as the store pages and given back oldest first.
    private IEnumerable<List<EventRecord>> Slices(EventFilter filter, long from, long to)
    {
        var pending = new Stack<(long From, long To)>();
        pending.Push((from, to));
        while (pending.TryPop(out var range))
        {
            var count = _store.Query(filter, range.From, range.To, 1, null).Filtered;
            if (count == 0)
            {
                continue;
            }

            if (count > SliceEvents && range.To > range.From)
            {
                var middle = range.From + ((range.To - range.From) / 2);
                pending.Push((middle + 1, range.To));
                pending.Push((range.From, middle));
                continue;
            }

            var events = new List<EventRecord>((int)Math.Min(count, SliceEvents));
            EventPosition? before = null;
            do
            {
                var page = _store.Query(filter, range.From, range.To, PageSize, before);
                events.AddRange(page.Events);
                before = page.NextBefore;
            }
            while (before is not null);

            events.Reverse();
            yield return events;
        }
    }

    private object?[] Row(EventRecord e, ExportState state)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp);
        var service = e.ServiceName ?? RollupSet.UnknownService;
        var hour = state.ServiceHour(_projection, service, e.Timestamp);
        var nameCount = hour?.Names.GetValueOrDefault(e.Name)?.Count ?? 0;
        var errorRate = hour is { Count: > 0 } ? Math.Round(100.0 * hour.Errors / hour.Count, 2) : (double?)null;

        double? sessionMinutes = null, sinceLast = null;
        long? eventsInSession = null;
        if (e.SessionId is { } session)
        {
            var seen = state.Sessions.Touch(session, e.Timestamp);
            sessionMinutes = Math.Round((e.Timestamp - seen.First) / 60_000.0, 3);
            eventsInSession = seen.Count;
            sinceLast = seen.Count > 1 ? (e.Timestamp - seen.Previous) / 1000.0 : null;
        }

        double? tenure = null;
        if (e.UserId is { } user)
        {
            var seen = state.Users.Touch(user, e.Timestamp);
            tenure = Math.Round((e.Timestamp - seen.First) / 86_400_000.0, 3);
            sinceLast ??= seen.Count > 1 ? (e.Timestamp - seen.Previous) / 1000.0 : null;
        }

        long? chainLength = e.CorrelationId is { } chain ? state.Chains.Touch(chain, e.Timestamp).Count : null;
        return
        [
            EventIds.Format(e.Sequence), time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            time.Hour, (int)time.DayOfWeek, time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday,
            time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && time.Hour is >= 9 and < 17,
            e.UserId, e.SessionId, sessionMinutes, eventsInSession, tenure,
            service, hour?.AverageResponseTime is { } avg ? Math.Round(avg, 2) : null, errorRate, hour?.Count ?? 0,
            e.Name, nameCount, chainLength, sinceLast,
            e.ResponseTimeMs, e.StatusCode, e.IsError,
            e.ResponseTimeMs is { } ms ? hour?.ResponseTimes.Rank(ms) : null,
            hour?.Errors ?? 0, errorRate is { } rate ? Math.Round(100 - rate, 2) : null,
        ];
    }

    /// <summary>What the export remembers while it runs: bounded, so memory stays flat.</summary>
    private sealed class ExportState
    {
        private readonly Dictionary<(string Service, long Minute), ServiceRollup?> _hours = [];

        public Seen Sessions { get; } = new();

        public Seen Users { get; } = new();

        public Seen Chains { get; } = new();

        /// <summary>The service's rollup of the hour before <paramref name="timestamp"/> (to the minute), from the projection.</summary>
        public ServiceRollup? ServiceHour(AnalyticsProjection projection, string service, long timestamp)
        {
            var minute = timestamp - (timestamp % 60_000);
            if (!_hours.TryGetValue((service, minute), out var rollup))
            {
                if (_hours.Count > 1_000)
                {
                    _hours.Clear();
                }

                rollup = projection.Summarize(minute - HourMs, minute, service).Services.GetValueOrDefault(service);
                _hours[(service, minute)] = rollup;
            }

            return rollup;
        }
    }

    /// <summary>First time, previous time and count per key, for at most <see cref="MaxTracked"/> keys (the first seen forgotten first).</summary>
    private sealed class Seen
    {
        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public Entry Touch(string key, long timestamp)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                entry = entry with { Previous = entry.Last, Last = timestamp, Count = entry.Count + 1 };
            }
            else
            {
                entry = new Entry(timestamp, timestamp, timestamp, 1);
                _order.Enqueue(key);
                if (_entries.Count >= MaxTracked && _order.TryDequeue(out var oldest))
                {
                    _entries.Remove(oldest);
                }
            }

            _entries[key] = entry;
            return entry;
        }

        internal readonly record struct Entry(long First, long Previous, long Last, long Count);
    }
}
