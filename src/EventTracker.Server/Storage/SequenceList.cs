namespace EventTracker.Server.Storage;

/// <summary>
/// Ascending event sequence numbers of one index key, in a circular buffer: appends at the end,
/// evictions from the front, binary search in between.
/// </summary>
internal sealed class SequenceList
{
    // Most correlation and session keys hold one or two events, so lists start small.
    private long[] _items = new long[1];
    private int _start;

    public SequenceList(string key) => Key = key;

    /// <summary>The index key; records share this instance instead of holding copies.</summary>
    public string Key { get; }

    public int Count { get; private set; }

    public long this[int index] => _items[(_start + index) % _items.Length];

    public void Add(long sequence)
    {
        if (Count == _items.Length)
        {
            var grown = new long[_items.Length * 2];
            for (var i = 0; i < Count; i++)
            {
                grown[i] = this[i];
            }

            _items = grown;
            _start = 0;
        }

        _items[(_start + Count) % _items.Length] = sequence;
        Count++;
    }

    /// <summary>Removes the first sequence number if it is <paramref name="sequence"/>.</summary>
    public void RemoveFirst(long sequence)
    {
        if (Count > 0 && this[0] == sequence)
        {
            _start = (_start + 1) % _items.Length;
            Count--;
        }
    }

    /// <summary>The index of the first sequence number ≥ <paramref name="sequence"/>.</summary>
    public int LowerBound(long sequence) => (int)SortedSearch.LowerBound(0, Count, sequence, this, static (list, index) => list[(int)index]);

    /// <summary>How many sequence numbers lie in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public int CountInRange(long from, long to) => to <= from ? 0 : LowerBound(to) - LowerBound(from);
}
