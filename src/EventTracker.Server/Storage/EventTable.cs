namespace EventTracker.Server.Storage;

/// <summary>
/// The held events and their indexes: a ring of at most a fixed number of records in sequence order (timestamps
/// never decrease along it, so time ranges are binary searches), and an index per filterable field. Not
/// thread-safe: <see cref="MemoryLayer"/> guards it.
/// </summary>
internal sealed class EventTable
{
    private readonly EventRecord?[] _ring;

    public EventTable(int capacity, long firstSequence)
    {
        _ring = new EventRecord?[capacity];
        Head = firstSequence;
        Next = firstSequence;
    }

    /// <summary>Sequence of the oldest held event (equal to <see cref="Next"/> when empty).</summary>
    public long Head { get; private set; }

    /// <summary>Sequence the next stored event gets.</summary>
    public long Next { get; private set; }

    public long Count => Next - Head;

    public long LastTimestamp { get; private set; }

    public EventIndex ByName { get; } = new();

    public EventIndex ByService { get; } = new();

    public EventIndex ByUser { get; } = new();

    public EventIndex BySession { get; } = new();

    public EventIndex ByCorrelation { get; } = new();

    public EventRecord At(long sequence) => _ring[sequence % _ring.Length]!;

    public EventRecord Oldest => At(Head);

    /// <summary>Whether storing one more event first needs the oldest evicted.</summary>
    public bool IsFull => Count == _ring.Length;

    /// <summary>Stores <paramref name="newEvent"/> as the next sequence; the caller evicts first when <see cref="IsFull"/>.</summary>
    public EventRecord Add(NewEvent newEvent, long timestamp)
    {
        var sequence = Next++;
        LastTimestamp = Math.Max(LastTimestamp, timestamp);
        var record = new EventRecord
        {
            Sequence = sequence,
            Timestamp = timestamp,
            Name = ByName.Add(newEvent.Name, sequence)!,
            ServiceName = ByService.Add(newEvent.ServiceName, sequence),
            UserId = ByUser.Add(newEvent.UserId, sequence),
            SessionId = BySession.Add(newEvent.SessionId, sequence),
            CorrelationId = ByCorrelation.Add(newEvent.CorrelationId, sequence),
            StatusCode = newEvent.StatusCode,
            ResponseTimeMs = newEvent.ResponseTimeMs,
            ClientEventId = newEvent.ClientEventId,
            UserAgent = newEvent.UserAgent,
            Referrer = newEvent.Referrer,
            UserRole = newEvent.UserRole,
            PayloadJson = newEvent.PayloadJson,
        };
        _ring[sequence % _ring.Length] = record;
        return record;
    }

    /// <summary>Moves an empty table on to <paramref name="sequence"/>.</summary>
    public void Restart(long sequence)
    {
        if (Count != 0)
        {
            throw new InvalidOperationException("Only an empty table can move to another sequence.");
        }

        Head = sequence;
        Next = sequence;
    }

    /// <summary>Takes the oldest event out of the ring and the indexes.</summary>
    public EventRecord RemoveOldest()
    {
        var record = At(Head);
        _ring[Head % _ring.Length] = null;
        Head++;
        ByName.RemoveOldest(record.Name, record.Sequence);
        ByService.RemoveOldest(record.ServiceName, record.Sequence);
        ByUser.RemoveOldest(record.UserId, record.Sequence);
        BySession.RemoveOldest(record.SessionId, record.Sequence);
        ByCorrelation.RemoveOldest(record.CorrelationId, record.Sequence);
        return record;
    }

    /// <summary>The sequence of the first held event stamped at or after <paramref name="timestamp"/>.</summary>
    public long FirstSequenceAtOrAfter(long timestamp) =>
        SortedSearch.LowerBound(Head, Next, timestamp, this, static (table, sequence) => table.At(sequence).Timestamp);

    /// <summary>The held events from <paramref name="fromSequence"/> on, oldest first.</summary>
    public List<EventRecord> From(long fromSequence)
    {
        var records = new List<EventRecord>((int)Math.Max(0, Next - Math.Max(fromSequence, Head)));
        for (var sequence = Math.Max(fromSequence, Head); sequence < Next; sequence++)
        {
            records.Add(At(sequence));
        }

        return records;
    }
}
