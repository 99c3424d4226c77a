using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>
/// Answers one query over an <see cref="EventTable"/> (under its read lock). Every list it reads is in
/// <see cref="EventPosition"/> order, so the time range and the cursor are binary searches, and the cheapest path is
/// taken: a walk down the time index when nothing is filtered; a walk down one posting list when one value is, or a
/// service and a name (<see cref="ServiceNameIndex"/>), or the errors of all or of one service; otherwise a scan of the
/// smallest matching posting within the time range (of the time index, when only the status class is filtered: no
/// index keeps it apart).
/// </summary>
internal sealed class QueryPlanner
{
    private readonly EventTable _table;
    private readonly EventFilter _filter;
    private readonly EventPosition _from;
    private readonly EventPosition _to; // exclusive
    private readonly EventPosition _pageEnd; // exclusive
    private readonly int _limit;
    private readonly List<SequenceList> _exact = [];
    private List<SequenceList>? _typePostings; // the names containing the filter's type

    public QueryPlanner(EventTable table, EventFilter filter, long? from, long? to, int limit, EventPosition? before)
    {
        _table = table;
        _filter = filter;
        _from = EventPosition.First(from ?? long.MinValue);
        _to = to is { } t && t < long.MaxValue ? EventPosition.First(t + 1) : new EventPosition(long.MaxValue, long.MaxValue);
        _pageEnd = before is { } cursor && cursor < _to ? cursor : _to;
        _limit = limit;
    }

    public EventPage Run()
    {
        if (!ResolveIndexes())
        {
            return Page([], filtered: 0, [], more: false);
        }

        if (_exact.Count == 0 && _typePostings is null && !_filter.TestsEachEvent())
        {
            return UnfilteredPage();
        }

        if (_exact.Count == 1 && _typePostings is null && _filter.StatusClass is null)
        {
            return SinglePostingPage(_exact[0]); // errorsOnly, if given, chose the posting
        }

        return ScannedPage();
    }

    /// <summary>Finds the posting of every exact filter; false when some value has no events at all.</summary>
    private bool ResolveIndexes()
    {
        // The errors, and a service's and name's events together, have postings of their own; the service's or the name's
        // own posting adds nothing to them.
        var (serviceTaken, nameTaken) = (false, false);
        if (_filter.ErrorsOnly == true)
        {
            if ((_filter.ServiceName is { } errorsOf ? _table.ErrorsByService.Find(errorsOf) : _table.Errors) is not { Count: > 0 } errors)
            {
                return false;
            }

            _exact.Add(errors);
            serviceTaken = _filter.ServiceName is not null;
        }

        if (_filter is { ServiceName: { } service, EventName: { } name })
        {
            if (_table.ByServiceAndName.Find(service, name) is not { } pair)
            {
                return false;
            }

            _exact.Add(pair);
            (serviceTaken, nameTaken) = (true, true);
        }

        (EventIndex Index, string? Value)[] exact =
        [
            (_table.ByService, serviceTaken ? null : _filter.ServiceName),
            (_table.ByName, nameTaken ? null : _filter.EventName),
            (_table.ByUser, _filter.UserId),
            (_table.ByCorrelation, _filter.CorrelationId),
            (_table.BySession, _filter.SessionId),
        ];
        foreach (var (index, value) in exact)
        {
            if (value is null)
            {
                continue;
            }

            if (index.Find(value) is not { } posting)
            {
                return false;
            }

            _exact.Add(posting);
        }

        if (_filter.Type is { } type)
        {
            _typePostings = _table.ByName.Postings
                .Where(p => p.Key.Contains(type, StringComparison.OrdinalIgnoreCase))
                .ToList();
            return _typePostings.Count > 0;
        }

        return true;
    }

    private EventPage UnfilteredPage()
    {
        var (events, more) = Walk(_table.ByTime);
        return Page(events, _table.ByTime.CountInRange(_from, _to, _table), ServicesWithEventsIn(_table.ByService), more);
    }

    /// <summary>The page of the one posting every filter names: each of its entries in the range matches.</summary>
    private EventPage SinglePostingPage(SequenceList posting)
    {
        var (events, more) = Walk(posting);
        var first = posting.LowerBound(_from, _table);
        var end = Math.Max(first, posting.LowerBound(_to, _table)); // a range that ends before it starts holds nothing
        IReadOnlyList<string> services = end == first ? []
            : _filter.ServiceName is not null ? [posting.Key] // the service's own posting, its errors' or one of its names'
            : ReferenceEquals(posting, _table.Errors) ? ServicesWithEventsIn(_table.ErrorsByService)
            : first == 0 && end == posting.Count && posting.Services is { } tally ? tally.Services()
            : ServicesBetween(posting, first, end);
        return Page(events, end - first, services, more);
    }

    /// <summary>The keys of the postings of <paramref name="byService"/> that hold events in the range.</summary>
    private List<string> ServicesWithEventsIn(EventIndex byService) => byService.Postings
        .Where(p => p.CountInRange(_from, _to, _table) > 0)
        .Select(p => p.Key)
        .Order(StringComparer.Ordinal)
        .ToList();

    private List<string> ServicesBetween(SequenceList posting, int first, int end)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        for (var i = first; i < end; i++)
        {
            if (posting.RecordAt(i, _table).ServiceName is { } service)
            {
                services.Add(service);
            }
        }

        return services.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The page from one list in which every entry matches: from the cursor (or the range's end) down.</summary>
    private (List<EventRecord> Events, bool More) Walk(SequenceList list)
    {
        var events = new List<EventRecord>(Math.Min(_limit, 1024));
        var first = list.LowerBound(_from, _table);
        var index = list.LowerBound(_pageEnd, _table) - 1;
        for (; index >= first && events.Count < _limit; index--)
        {
            events.Add(list.RecordAt(index, _table));
        }

        return (events, index >= first);
    }

    private EventPage ScannedPage()
    {
        var events = new List<EventRecord>(Math.Min(_limit, 1024));
        var services = new SortedSet<string>(StringComparer.Ordinal);
        long filtered = 0;
        var more = false;
        foreach (var sequence in DriverDescending())
        {
            var record = _table.At(sequence);
            if (!_filter.Matches(record))
            {
                continue;
            }

            filtered++;
            if (record.ServiceName is { } service)
            {
                services.Add(service);
            }

            if (EventPosition.Of(record) < _pageEnd)
            {
                if (events.Count < _limit)
                {
                    events.Add(record);
                }
                else
                {
                    more = true;
                }
            }
        }

        return Page(events, filtered, [.. services], more);
    }

    /// <summary>
    /// Candidate sequences in the time range, newest first: the smallest exact posting, or the union of the names matching
    /// <c>type</c>, or (for a filter on the status class only) every event in the range.
    /// </summary>
    private IEnumerable<long> DriverDescending()
    {
        if (_exact.Count > 0)
        {
            var smallest = _exact.MinBy(p => p.CountInRange(_from, _to, _table))!;
            return Descending(smallest);
        }

        if (_typePostings is null)
        {
            return Descending(_table.ByTime);
        }

        return _typePostings.Count == 1 ? Descending(_typePostings[0]) : MergeDescending(_typePostings);
    }

    private IEnumerable<long> Descending(SequenceList list)
    {
        var first = list.LowerBound(_from, _table);
        for (var i = list.LowerBound(_to, _table) - 1; i >= first; i--)
        {
            yield return list.SequenceAt(i, _table);
        }
    }

    private IEnumerable<long> MergeDescending(List<SequenceList> lists)
    {
        var heads = new PriorityQueue<(SequenceList List, int Index, int First), EventPosition>(Comparer<EventPosition>.Create((a, b) => b.CompareTo(a)));
        foreach (var list in lists)
        {
            var first = list.LowerBound(_from, _table);
            var index = list.LowerBound(_to, _table) - 1;
            if (index >= first)
            {
                heads.Enqueue((list, index, first), list.PositionAt(index, _table));
            }
        }

        while (heads.TryDequeue(out var head, out var position))
        {
            yield return position.Sequence;
            if (head.Index - 1 >= head.First)
            {
                heads.Enqueue((head.List, head.Index - 1, head.First), head.List.PositionAt(head.Index - 1, _table));
            }
        }
    }

    private EventPage Page(List<EventRecord> events, long filtered, IReadOnlyList<string> services, bool more)
    {
        EventPosition? next = more && events.Count > 0 ? EventPosition.Of(events[^1]) : null;
        return new EventPage(events, _table.Count, filtered, services, next, _table.Earliest?.Timestamp);
    }
}
