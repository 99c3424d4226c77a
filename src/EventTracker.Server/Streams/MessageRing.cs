namespace EventTracker.Server.Streams;

/// <summary>
/// A reader's queue: first in, first out, at most <c>capacity</c> messages (the subscription takes the oldest out
/// before it adds to a full one). Its array grows as messages wait, so a reader that keeps up holds a few slots, not
/// the whole capacity. Not thread-safe: the subscription's lock guards it.
/// </summary>
internal sealed class MessageRing(int capacity)
{
    private const int InitialSlots = 16;
    private BroadcastMessage[] _slots = [];
    private int _head;

    public int Count { get; private set; }

    /// <summary>Takes the oldest message, if any.</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out BroadcastMessage message)
    {
        if (Count == 0)
        {
            message = null;
            return false;
        }

        message = _slots[_head];
        _slots[_head] = null!; // the message may be large; the ring must not keep it alive
        _head = (_head + 1) % _slots.Length;
        Count--;
        return true;
    }

    /// <summary>Adds <paramref name="messages"/>, in order, after the others.</summary>
    /// <exception cref="InvalidOperationException">They do not fit in <c>capacity</c>.</exception>
    public void AddRange(ReadOnlySpan<BroadcastMessage> messages)
    {
        while (Count + messages.Length > _slots.Length)
        {
            Grow();
        }

        if (messages.IsEmpty)
        {
            return;
        }

        var tail = (_head + Count) % _slots.Length;
        var firstRun = Math.Min(messages.Length, _slots.Length - tail);
        messages[..firstRun].CopyTo(_slots.AsSpan(tail));
        messages[firstRun..].CopyTo(_slots);
        Count += messages.Length;
    }

    /// <summary>Takes out the <paramref name="count"/> oldest messages (1 to <see cref="Count"/>) at once; returns the newest of them.</summary>
    public BroadcastMessage TakeOldest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        var last = _slots[(_head + count - 1) % _slots.Length];
        var firstRun = Math.Min(count, _slots.Length - _head);
        Array.Clear(_slots, _head, firstRun);
        Array.Clear(_slots, 0, count - firstRun);
        _head = (_head + count) % _slots.Length;
        Count -= count;
        return last;
    }

    private void Grow()
    {
        if (_slots.Length == capacity)
        {
            throw new InvalidOperationException($"The ring holds at most {capacity} messages.");
        }

        var grown = new BroadcastMessage[Math.Min(capacity, Math.Max(InitialSlots, _slots.Length * 2))];
        for (var i = 0; i < Count; i++)
        {
            grown[i] = _slots[(_head + i) % _slots.Length];
        }

        _slots = grown;
        _head = 0;
    }
}
