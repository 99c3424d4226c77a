using EventTracker.Contracts;

namespace EventTracker.Server.Storage;

/// <summary>
/// Answers one query over an <see cref="EventTable"/> (under its read lock): the time range becomes a sequence range
/// by binary search, then the cheapest path is taken — a walk down the ring when nothing is filtered, a walk down
/// one posting list when only the service is, otherwise a scan of the smallest matching posting.
/// </summary>
internal sealed class QueryPlanner
{
    private readonly EventTable _table;
    private readonly EventFilter _filter;
    private readonly long _lo;
    private readonly long _hi;
    private readonly long _pageEnd;
    private readonly int _limit;
    private readonly List<SequenceList> _exact = [];
    private List<SequenceList>? _typePostings; // the names containing the filter's type

    public QueryPlanner(EventTable table, EventFilter filter, long? from, long? to, int limit, long? beforeSequence)
    {
        _table = table;
        _filter = filter;
        _lo = from is { } f ? table.FirstSequenceAtOrAfter(f) : table.Head;
        var hi = to is { } t && t < long.MaxValue ? table.FirstSequenceAtOrAfter(t + 1) : table.Next;
        _hi = Math.Max(_lo, hi);
        _pageEnd = beforeSequence is { } before ? Math.Clamp(before, _lo, _hi) : _hi;
        _limit = limit;
    }

    public EventPage Run()
    {
        if (!ResolveIndexes())
        {
            return Page([], filtered: 0, [], more: false);
        }

        if (_exact.Count == 0 && _typePostings is null)
        {
            return UnfilteredPage();
        }

        if (_exact.Count == 1 && _typePostings is null && OnlyServiceFiltered())
        {
            return SinglePostingPage(_exact[0]);
        }

        return ScannedPage();
    }

    /// <summary>Finds the posting of every exact filter; false when some value has no events at all.</summary>
    private bool ResolveIndexes()
    {
        (EventIndex Index, string? Value)[] exact =
        [
            (_table.ByService, _filter.ServiceName),
            (_table.ByName, _filter.EventName),
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

    private bool OnlyServiceFiltered() =>
        _filter.ServiceName is not null && _filter.EventName is null && _filter.UserId is null
        && _filter.CorrelationId is null && _filter.SessionId is null;

    private EventPage UnfilteredPage()
    {
        var events = new List<EventRecord>(Math.Min(_limit, 1024));
        var sequence = _pageEnd - 1;
        for (; sequence >= _lo && events.Count < _limit; sequence--)
        {
            events.Add(_table.At(sequence));
        }

        var services = _table.ByService.Postings
            .Where(p => p.CountInRange(_lo, _hi) > 0)
            .Select(p => p.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        return Page(events, _hi - _lo, services, more: sequence >= _lo);
    }

    private EventPage SinglePostingPage(SequenceList posting)
    {
        var events = new List<EventRecord>(Math.Min(_limit, 1024));
        var first = posting.LowerBound(_lo);
        var index = posting.LowerBound(_pageEnd) - 1;
        for (; index >= first && events.Count < _limit; index--)
        {
            events.Add(_table.At(posting[index]));
        }

        var filtered = posting.CountInRange(_lo, _hi);
        return Page(events, filtered, filtered > 0 ? [posting.Key] : [], more: index >= first);
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

            if (sequence < _pageEnd)
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

    /// <summary>Candidate sequences, newest first: the smallest exact posting, or the union of the names matching <c>type</c>.</summary>
    private IEnumerable<long> DriverDescending()
    {
        if (_exact.Count > 0)
        {
            var smallest = _exact.MinBy(p => p.CountInRange(_lo, _hi))!;
            return Descending(smallest);
        }

        return _typePostings!.Count == 1 ? Descending(_typePostings[0]) : MergeDescending(_typePostings);
    }

    private IEnumerable<long> Descending(SequenceList list)
    {
        var first = list.LowerBound(_lo);
        for (var i = list.LowerBound(_hi) - 1; i >= first; i--)
        {
            yield return list[i];
        }
    }

    private IEnumerable<long> MergeDescending(List<SequenceList> lists)
    {
        var heads = new PriorityQueue<(SequenceList List, int Index, int First), long>();
        foreach (var list in lists)
        {
            var first = list.LowerBound(_lo);
            var index = list.LowerBound(_hi) - 1;
            if (index >= first)
            {
                heads.Enqueue((list, index, first), -list[index]);
            }
        }

        while (heads.TryDequeue(out var head, out var negated))
        {
            yield return -negated;
            if (head.Index - 1 >= head.First)
            {
                heads.Enqueue((head.List, head.Index - 1, head.First), -head.List[head.Index - 1]);
            }
        }
    }

    private EventPage Page(List<EventRecord> events, long filtered, IReadOnlyList<string> services, bool more)
    {
        long? oldest = _table.Count > 0 ? _table.Oldest.Timestamp : null;
        long? next = more && events.Count > 0 ? events[^1].Sequence : null;
        return new EventPage(events, _table.Count, filtered, services, next, oldest);
    }
}
