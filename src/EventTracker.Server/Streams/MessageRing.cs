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

    /// <summary>Adds <paramref name="message"/> after the others.</summary>
    /// <exception cref="InvalidOperationException">The ring holds <c>capacity</c> messages already.</exception>
    public void Add(BroadcastMessage message)
    {
        if (Count == _slots.Length)
        {
            Grow();
        }

        _slots[(_head + Count) % _slots.Length] = message;
        Count++;
    }

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

    private void Grow()
    {
        if (Count == capacity)
        {
            throw new InvalidOperationException($"The ring is full ({capacity} messages).");
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
