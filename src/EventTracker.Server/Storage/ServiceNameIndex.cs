namespace EventTracker.Server.Storage;

/// <summary>
/// The held events of a service by event name, each pair's events in <see cref="EventPosition"/> order: what a query
/// on both a service and a name reads, instead of testing every event of the smaller of the two.
/// </summary>
internal sealed class ServiceNameIndex
{
    private readonly Dictionary<(string Service, string Name), SequenceList> _postings = [];

    public void Add(string? service, string name, EventPosition position, EventTable table)
    {
        if (service is null)
        {
            return;
        }

        if (!_postings.TryGetValue((service, name), out var list))
        {
            list = new SequenceList(service);
            _postings.Add((service, name), list);
        }

        list.Insert(position, table);
    }

    public void Remove(string? service, string name, EventPosition position, EventTable table)
    {
        if (service is null || !_postings.TryGetValue((service, name), out var list))
        {
            return;
        }

        list.Remove(position, table);
        if (list.Count == 0)
        {
            _postings.Remove((service, name));
        }
    }

    /// <summary>The events of <paramref name="service"/> named <paramref name="name"/>; its key is the service.</summary>
    public SequenceList? Find(string service, string name) => _postings.GetValueOrDefault((service, name));
}
