namespace EventTracker.Server.Storage;

/// <summary>
/// The sequence numbers of the held events of one index key, in <see cref="EventPosition"/> order (by event time,
/// then sequence), in a circular buffer. Events almost always arrive in time order, so inserts land at the end and
/// evictions at the front; a late or backfilled event is inserted in place, shifting the shorter side. Positions are
/// looked up in the <see cref="EventTable"/> the list belongs to.
/// </summary>
internal sealed class SequenceList
{
    // Most correlation ids hold one or two events (a request and its response), and there are as many of them as
    // events: up to two entries live in the list object itself, and an array is allocated only beyond that.
    private const int InlineCapacity = 2;

    private long[]? _items;
    private long _inline0;
    private long _inline1;
    private int _start;

    public SequenceList(string key) => Key = key;

    /// <summary>The index key; records share this instance instead of holding copies.</summary>
    public string Key { get; }

    public int Count { get; private set; }

    /// <summary>The services of the entries, for a large posting of an index that keeps them; otherwise null.</summary>
    public ServiceTally? Services { get; set; }

    public long this[int index] => Slot(index);

    private int Capacity => _items?.Length ?? InlineCapacity;

    public void Insert(EventPosition position, EventTable table)
    {
        if (Count == Capacity)
        {
            Grow();
        }

        if (Count == 0 || PositionAt(Count - 1, table) < position)
        {
            Slot(Count) = position.Sequence;
            Count++;
            return;
        }

        var index = LowerBound(position, table);
        if (index < Count - index)
        {
            _start = (_start - 1 + Capacity) % Capacity;
            for (var i = 0; i < index; i++)
            {
                Slot(i) = Slot(i + 1);
            }
        }
        else
        {
            for (var i = Count; i > index; i--)
            {
                Slot(i) = Slot(i - 1);
            }
        }

        Slot(index) = position.Sequence;
        Count++;
    }

    public void Remove(EventPosition position, EventTable table)
    {
        if (Count > 0 && this[0] == position.Sequence)
        {
            _start = (_start + 1) % Capacity;
            Count--;
            return;
        }

        var index = LowerBound(position, table);
        if (index >= Count || this[index] != position.Sequence)
        {
            return;
        }

        if (index < Count - 1 - index)
        {
            for (var i = index; i > 0; i--)
            {
                Slot(i) = Slot(i - 1);
            }

            _start = (_start + 1) % Capacity;
        }
        else
        {
            for (var i = index; i < Count - 1; i++)
            {
                Slot(i) = Slot(i + 1);
            }
        }

        Count--;
    }

    /// <summary>The index of the first entry at or after <paramref name="position"/>.</summary>
    public int LowerBound(EventPosition position, EventTable table)
    {
        // Ranges are mostly open-ended or reach the newest events: answer those ends without a search.
        if (Count == 0 || position <= PositionAt(0, table))
        {
            return 0;
        }

        if (PositionAt(Count - 1, table) < position)
        {
            return Count;
        }

        return (int)SortedSearch.LowerBound(1, Count - 1, (List: this, Table: table, Target: position),
            static (state, index) => state.List.PositionAt((int)index, state.Table) < state.Target);
    }

    /// <summary>How many entries lie in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public int CountInRange(EventPosition from, EventPosition to, EventTable table) =>
        to <= from ? 0 : LowerBound(to, table) - LowerBound(from, table);

    public EventPosition PositionAt(int index, EventTable table) => EventPosition.Of(table.At(this[index]));

    private ref long Slot(int index)
    {
        var slot = (_start + index) % Capacity;
        if (_items is not null)
        {
            return ref _items[slot];
        }

        return ref slot == 0 ? ref _inline0 : ref _inline1;
    }

    private void Grow()
    {
        var grown = new long[Capacity * 2];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = this[i];
        }

        _items = grown;
        _start = 0;
    }
}
