namespace EventTracker.Server.Streams;

/// <summary>
/// The most recent event messages, in id order, for readers that come back with the last id they saw. Ids are store
/// positions and may have gaps, so a resume point is found by binary search rather than by arithmetic. Not
/// thread-safe: <see cref="EventBroadcaster"/> guards it.
/// </summary>
internal sealed class ResumeRing(int capacity)
{
    private readonly BroadcastMessage[] _messages = new BroadcastMessage[capacity];
    private long _added;

    /// <summary>The id of the oldest message held, if any.</summary>
    public long? OldestId => _added == 0 ? null : At(FirstIndex).Id;

    /// <summary>Whether messages have left the ring to make room.</summary>
    public bool HasDropped => _added > _messages.Length;

    private long FirstIndex => Math.Max(0, _added - _messages.Length);

    public void Add(BroadcastMessage message) => _messages[_added++ % _messages.Length] = message;

    /// <summary>The held messages with ids after <paramref name="afterId"/>, oldest first.</summary>
    public IEnumerable<BroadcastMessage> After(long afterId)
    {
        var low = FirstIndex;
        var high = _added;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (At(middle).Id <= afterId)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var index = low; index < _added; index++)
        {
            yield return At(index);
        }
    }

    private BroadcastMessage At(long index) => _messages[index % _messages.Length];
}
