using System.Runtime.CompilerServices;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Ai;

/// <summary>
/// The guide's <c>MLFeatureSet</c> as one row per held event, oldest first, for training: the columns our events can
/// support (temporal, user and session, service, sequence, performance), each computed only from the events strictly
/// before the row's (by event time, ties by sequence), as feature stores build training data, so a model never learns
/// from the answer — never from data we do not have (the business columns and <c>user_role</c>
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

    private readonly IEventStore _store;

    public FeatureExport(IEventStore store) => _store = store;

    /// <summary>The rows of the events of <paramref name="serviceName"/> (all when null) in [<paramref name="from"/> (the earliest held when null), <paramref name="to"/>], oldest first.</summary>
    public async IAsyncEnumerable<object?[]> RowsAsync(string? serviceName, long? from, long to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new ExportState();
        var filter = new EventFilter { ServiceName = serviceName };
        var start = from ?? (await _store.QueryAsync(filter, null, to, 1, null, cancellationToken)).EarliestTimestamp ?? to;

        // The hour before the first row is read as well, for the history columns of the first rows; its events get no row.
        await foreach (var slice in SlicesAsync(filter, start - ServiceHour.HourMs, to, cancellationToken))
        {
            foreach (var record in slice)
            {
                var hour = state.ServiceHour(record.ServiceName ?? RollupSet.UnknownService, record.Timestamp);
                if (record.Timestamp >= start)
                {
                    yield return Row(record, hour, state);
                }

                state.Observe(record, hour);
            }
        }
    }

    // Time slices small enough to hold, read newest first as the store pages and given back oldest first.
    private async IAsyncEnumerable<List<EventRecord>> SlicesAsync(EventFilter filter, long from, long to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = new Stack<(long From, long To)>();
        pending.Push((from, to));
        while (pending.TryPop(out var range))
        {
            var count = (await _store.QueryAsync(filter, range.From, range.To, 1, null, cancellationToken)).Filtered;
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
                var page = await _store.QueryAsync(filter, range.From, range.To, PageSize, before, cancellationToken);
                events.AddRange(page.Events);
                before = page.NextBefore;
            }
            while (before is not null);

            events.Reverse();
            yield return events;
        }
    }

    // Every history column is read before the event itself is observed: a row knows only what happened before it.
    private static object?[] Row(EventRecord e, ServiceHour hour, ExportState state)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp);
        var errorRate = hour.Count > 0 ? Math.Round(100.0 * hour.Errors / hour.Count, 2) : (double?)null;
        var session = e.SessionId is { } sessionId ? state.Sessions.Get(sessionId) : null;
        var user = e.UserId is { } userId ? state.Users.Get(userId) : null;
        var last = session?.Last ?? user?.Last;
        return
        [
            EventIds.Format(e.Sequence), UtcIsoDateTimeConverter.Format(time),
            time.Hour, (int)time.DayOfWeek, time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday,
            time.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && time.Hour is >= 9 and < 17,
            e.UserId, e.SessionId,
            e.SessionId is null ? null : Math.Round((e.Timestamp - (session?.First ?? e.Timestamp)) / 60_000.0, 3),
            e.SessionId is null ? null : session?.Count ?? 0,
            e.UserId is null ? null : Math.Round((e.Timestamp - (user?.First ?? e.Timestamp)) / 86_400_000.0, 3),
            e.ServiceName ?? RollupSet.UnknownService, hour.AverageResponseTime is { } avg ? Math.Round(avg, 2) : null, errorRate, hour.Count,
            e.Name, hour.Names.GetValueOrDefault(e.Name),
            e.CorrelationId is { } chain ? state.Chains.Get(chain)?.Count ?? 0 : null,
            last is { } previous ? (e.Timestamp - previous) / 1000.0 : null,
            e.ResponseTimeMs, e.StatusCode, e.IsError,
            e.ResponseTimeMs is { } ms ? hour.ResponseTimes.Rank(ms) : null,
            hour.Errors, errorRate is { } rate ? Math.Round(100 - rate, 2) : null,
        ];
    }

    /// <summary>What the export remembers of the events before the current row: bounded, so memory stays flat.</summary>
    private sealed class ExportState
    {
        private readonly Dictionary<string, ServiceHour> _services = new(StringComparer.Ordinal);

        public Seen Sessions { get; } = new();

        public Seen Users { get; } = new();

        public Seen Chains { get; } = new();

        /// <summary>The service's events of the hour before <paramref name="timestamp"/>.</summary>
        public ServiceHour ServiceHour(string service, long timestamp)
        {
            if (!_services.TryGetValue(service, out var hour))
            {
                hour = new ServiceHour();
                _services.Add(service, hour);
            }

            hour.MoveTo(timestamp);
            return hour;
        }

        /// <summary>Remembers <paramref name="e"/>, once its row (if it has one) is written; <paramref name="hour"/> is its service's.</summary>
        public void Observe(EventRecord e, ServiceHour hour)
        {
            hour.Add(e);
            if (e.SessionId is { } session)
            {
                Sessions.Touch(session, e.Timestamp);
            }

            if (e.UserId is { } user)
            {
                Users.Touch(user, e.Timestamp);
            }

            if (e.CorrelationId is { } chain)
            {
                Chains.Touch(chain, e.Timestamp);
            }
        }
    }

    /// <summary>First time, last time and count per key, for at most <see cref="MaxTracked"/> keys (the first seen forgotten first).</summary>
    private sealed class Seen
    {
        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public Entry? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry : null;

        public void Touch(string key, long timestamp)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry with { Last = timestamp, Count = entry.Count + 1 };
                return;
            }

            _order.Enqueue(key);
            if (_entries.Count >= MaxTracked && _order.TryDequeue(out var oldest))
            {
                _entries.Remove(oldest);
            }

            _entries[key] = new Entry(timestamp, timestamp, 1);
        }

        internal readonly record struct Entry(long First, long Last, long Count);
    }
}
