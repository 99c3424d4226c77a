namespace EventTracker.Server.Storage;

/// <summary>
/// The held events by the exact value of one field, each value's events in <see cref="EventPosition"/> order; with
/// <c>tallyServices</c>, each large posting also counts its events' services (<see cref="ServiceTally"/>).
/// </summary>
internal sealed class EventIndex(bool tallyServices = false)
{
    private readonly Dictionary<string, SequenceList> _postings = new(StringComparer.Ordinal);

    public IEnumerable<SequenceList> Postings => _postings.Values;

    /// <summary>Adds the event at <paramref name="position"/> under <paramref name="key"/> and returns the shared key instance.</summary>
    public string? Add(string? key, EventPosition position, EventTable table, string? service = null)
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
        if (tallyServices)
        {
            if (list.Services is { } tally)
            {
                tally.Add(service);
            }
            else if (list.Count >= ServiceTally.FromCount)
            {
                list.Services = ServiceTally.Of(list, table, except: position.Sequence);
                list.Services.Add(service);
            }
        }

        return list.Key;
    }

    /// <summary>Removes the event at <paramref name="position"/> from under <paramref name="key"/>, dropping the key when it empties.</summary>
    public void Remove(string? key, EventPosition position, EventTable table, string? service = null)
    {
        if (key is null || !_postings.TryGetValue(key, out var list))
        {
            return;
        }

        list.Remove(position, table);
        list.Services?.Remove(service);
        if (list.Count == 0)
        {
            _postings.Remove(key);
        }
    }

    public SequenceList? Find(string key) => _postings.GetValueOrDefault(key);
}
