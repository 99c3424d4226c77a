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

    // The low 32 bits of each sequence: the held events span fewer sequences than that, so the table tells them apart.
    private uint[]? _items;
    private uint _inline0;
    private uint _inline1;
    private int _start;

    public SequenceList(string key) => Key = key;

    /// <summary>The index key; records share this instance instead of holding copies.</summary>
    public string Key { get; }

    public int Count { get; private set; }

    /// <summary>The services of the entries, for a large posting of an index that keeps them; otherwise null.</summary>
    public ServiceTally? Services { get; set; }

    /// <summary>The sequence of the entry at <paramref name="index"/>.</summary>
    public long SequenceAt(int index, EventTable table) => table.SequenceOf(Slot(index));

    /// <summary>The held event of the entry at <paramref name="index"/>.</summary>
    public EventRecord RecordAt(int index, EventTable table) => table.At(SequenceAt(index, table));

    private int Capacity => _items?.Length ?? InlineCapacity;

    public void Insert(EventPosition position, EventTable table)
    {
        if (Count == Capacity)
        {
            Grow();
        }

        if (Count == 0 || PositionAt(Count - 1, table) < position)
        {
            Slot(Count) = (uint)position.Sequence;
            Count++;
            return;
        }

        var index = LowerBound(position, table);
        if (index < Count - index)
        {
            _start = (_start - 1 + Capacity) % Capacity;
            Move(from: 1, count: index, by: -1);
        }
        else
        {
            Move(from: index, count: Count - index, by: 1);
        }

        Slot(index) = (uint)position.Sequence;
        Count++;
    }

    public void Remove(EventPosition position, EventTable table)
    {
        if (Count > 0 && Slot(0) == (uint)position.Sequence)
        {
            _start = (_start + 1) % Capacity;
            Count--;
            return;
        }

        var index = LowerBound(position, table);
        if (index >= Count || Slot(index) != (uint)position.Sequence)
        {
            return;
        }

        if (index < Count - 1 - index)
        {
            Move(from: 0, count: index, by: 1);
            _start = (_start + 1) % Capacity;
        }
        else
        {
            Move(from: index + 1, count: Count - 1 - index, by: -1);
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

    public EventPosition PositionAt(int index, EventTable table) => EventPosition.Of(RecordAt(index, table));

    /// <summary>
    /// Moves the <paramref name="count"/> entries from <paramref name="from"/> on one place up or down (<paramref name="by"/>
    /// ±1): a late event lands far behind the newest, and moving what lies after it a block at a time (at most three
    /// copies around the ring's wrap) is many times faster than one entry at a time.
    /// </summary>
    private void Move(int from, int count, int by)
    {
        if (_items is not { } items)
        {
            // Two entries at most, held inline.
            for (var i = by > 0 ? count - 1 : 0; i >= 0 && i < count; i -= by)
            {
                Slot(from + i + by) = Slot(from + i);
            }

            return;
        }

        var capacity = items.Length;
        for (var done = 0; done < count;)
        {
            // Upward, from the top end down; downward, from the bottom end up: Array.Copy handles the overlap within a run.
            var first = by > 0 ? from + count - done - 1 : from + done; // the logical index the run starts (up: ends) at
            var source = (_start + first) % capacity;
            var target = (_start + first + by + capacity) % capacity;
            var run = by > 0
                ? Math.Min(count - done, Math.Min(source, target) + 1)
                : Math.Min(count - done, capacity - Math.Max(source, target));
            if (by > 0)
            {
                Array.Copy(items, source - run + 1, items, target - run + 1, run);
            }
            else
            {
                Array.Copy(items, source, items, target, run);
            }

            done += run;
        }
    }

    private ref uint Slot(int index)
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
        var grown = new uint[Capacity * 2];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = Slot(i);
        }

        _items = grown;
        _start = 0;
    }
}
