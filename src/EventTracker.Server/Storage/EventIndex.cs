namespace EventTracker.Server.Storage;

/// <summary>The held events by the exact value of one field, each value's events in <see cref="EventPosition"/> order.</summary>
internal sealed class EventIndex
{
    private readonly Dictionary<string, SequenceList> _postings = new(StringComparer.Ordinal);

    public IEnumerable<SequenceList> Postings => _postings.Values;

    /// <summary>Adds the event at <paramref name="position"/> under <paramref name="key"/> and returns the shared key instance.</summary>
    public string? Add(string? key, EventPosition position, EventTable table)
    {
        if (key is null)
        {
            return null;
        }

        if (!_postings.TryGetValue(key, out var list))
        {
            list = new SequenceList(key);
            _postings.Add(key, list);
        }

        list.Insert(position, table);
        return list.Key;
    }

    /// <summary>Removes the event at <paramref name="position"/> from under <paramref name="key"/>, dropping the key when it empties.</summary>
    public void Remove(string? key, EventPosition position, EventTable table)
    {
        if (key is null || !_postings.TryGetValue(key, out var list))
        {
            return;
        }

        list.Remove(position, table);
        if (list.Count == 0)
        {
            _postings.Remove(key);
        }
    }

    public SequenceList? Find(string key) => _postings.GetValueOrDefault(key);
}
