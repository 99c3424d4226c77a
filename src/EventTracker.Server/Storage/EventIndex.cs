namespace EventTracker.Server.Storage;

/// <summary>Sequence numbers of held events by the exact value of one field.</summary>
internal sealed class EventIndex
{
    private readonly Dictionary<string, SequenceList> _postings = new(StringComparer.Ordinal);

    public IEnumerable<SequenceList> Postings => _postings.Values;

    /// <summary>Adds <paramref name="sequence"/> under <paramref name="key"/> and returns the shared key instance.</summary>
    public string? Add(string? key, long sequence)
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

        list.Add(sequence);
        return list.Key;
    }

    /// <summary>Removes the oldest <paramref name="sequence"/> under <paramref name="key"/>, dropping the key when it empties.</summary>
    public void RemoveOldest(string? key, long sequence)
    {
        if (key is null || !_postings.TryGetValue(key, out var list))
        {
            return;
        }

        list.RemoveFirst(sequence);
        if (list.Count == 0)
        {
            _postings.Remove(key);
        }
    }

    public SequenceList? Find(string key) => _postings.GetValueOrDefault(key);
}
