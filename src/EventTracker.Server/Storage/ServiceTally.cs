namespace EventTracker.Server.Storage;

/// <summary>
/// How many of a large posting's events each service holds, kept as events come and go, so that a query on that one
/// value lists the services of its matches without reading every matching event (which, at tens of thousands of
/// matches, is mostly waiting for memory). Small postings, such as one request's correlation id, keep none: reading
/// their few events is cheap, and a tally each would cost far more memory than it saves.
/// </summary>
internal sealed class ServiceTally
{
    /// <summary>The size from which a posting keeps a tally.</summary>
    public const int FromCount = 64;

    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>
    /// A tally of the services of the entries of <paramref name="list"/> but <paramref name="except"/> (the event
    /// being added, which the table does not hold yet).
    /// </summary>
    public static ServiceTally Of(SequenceList list, EventTable table, long except)
    {
        var tally = new ServiceTally();
        for (var i = 0; i < list.Count; i++)
        {
            if (list.SequenceAt(i, table) != except)
            {
                tally.Add(list.RecordAt(i, table).ServiceName);
            }
        }

        return tally;
    }

    public void Add(string? service)
    {
        if (service is not null)
        {
            _counts[service] = _counts.GetValueOrDefault(service) + 1;
        }
    }

    public void Remove(string? service)
    {
        if (service is not null && _counts.TryGetValue(service, out var count))
        {
            if (count == 1)
            {
                _counts.Remove(service);
            }
            else
            {
                _counts[service] = count - 1;
            }
        }
    }

    /// <summary>The services held, in ordinal order.</summary>
    public List<string> Services() => _counts.Keys.Order(StringComparer.Ordinal).ToList();
}
