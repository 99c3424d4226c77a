namespace EventTracker.Server.Storage;

/// <summary>
/// The held events and their indexes: a ring of at most a fixed number of records in sequence (arrival) order, which
/// is also the order of eviction; a time index of every held event by <see cref="EventPosition"/> (when it happened,
/// so time ranges are binary searches even when events arrive out of order); and an index per filterable field in
/// the same order. Not thread-safe: <see cref="MemoryLayer"/> guards it.
/// </summary>
internal sealed class EventTable
{
    // Enough combinations for real sites; beyond it each event keeps its own.
    private const int MaxPooledTextColumns = 10_000;

    private readonly EventRecord?[] _ring;
    private readonly Dictionary<(string?, string?, string?), TextColumns> _textColumns = [];
    private readonly PayloadPool _payloads = new();

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

    /// <summary>Every held event, by position.</summary>
    public SequenceList ByTime { get; } = new("*");

    public EventIndex ByName { get; } = new(tallyServices: true);

    public EventIndex ByService { get; } = new();

    /// <summary>Every service's events of each name: a query on both reads one posting.</summary>
    public ServiceNameIndex ByServiceAndName { get; } = new();

    /// <summary>Every held error (<see cref="EventRecord.IsError"/>), by position: what <c>errorsOnly</c> reads.</summary>
    public SequenceList Errors { get; } = new("errors");

    /// <summary>Each service's held errors.</summary>
    public EventIndex ErrorsByService { get; } = new();

    public EventIndex ByUser { get; } = new(tallyServices: true);

    public EventIndex BySession { get; } = new(tallyServices: true);

    public EventIndex ByCorrelation { get; } = new(tallyServices: true);

    public EventRecord At(long sequence) => _ring[sequence % _ring.Length]!;

    /// <summary>The held sequence whose low 32 bits are <paramref name="low"/> (what index entries keep).</summary>
    public long SequenceOf(uint low) => Head + (uint)(low - (uint)Head);

    public EventRecord Oldest => At(Head);

    /// <summary>Whether storing one more event first needs the oldest evicted.</summary>
    public bool IsFull => Count == _ring.Length;

    /// <summary>
    /// Stores <paramref name="newEvent"/> as the next sequence, as happening at <paramref name="timestamp"/> and received
    /// at <paramref name="receivedAt"/>; the caller evicts first when <see cref="IsFull"/>.
    /// </summary>
    public EventRecord Add(NewEvent newEvent, long timestamp, long receivedAt)
    {
        var sequence = Next++;
        var position = new EventPosition(timestamp, sequence);
        var service = ByService.Add(newEvent.ServiceName, position, this);
        ByServiceAndName.Add(service, newEvent.Name, position, this);
        var record = new EventRecord
        {
            Sequence = sequence,
            Timestamp = timestamp,
            ReceivedAt = receivedAt,
            ServiceName = service,
            Name = ByName.Add(newEvent.Name, position, this, service)!,
            UserId = ByUser.Add(newEvent.UserId, position, this, service),
            SessionId = BySession.Add(newEvent.SessionId, position, this, service),
            CorrelationId = ByCorrelation.Add(newEvent.CorrelationId, position, this, service),
            StatusCode = newEvent.StatusCode,
            ResponseTimeMs = newEvent.ResponseTimeMs,
            ClientEventId = newEvent.ClientEventId,
            Text = Pooled(newEvent),
            PayloadJson = _payloads.Share(newEvent.PayloadJson),
        };
        _ring[sequence % _ring.Length] = record;
        ByTime.Insert(position, this);
        if (record.IsError)
        {
            Errors.Insert(position, this);
            ErrorsByService.Add(service, position, this);
        }

        return record;
    }

    private TextColumns? Pooled(NewEvent newEvent)
    {
        if (newEvent.UserAgent is null && newEvent.Referrer is null && newEvent.UserRole is null)
        {
            return null;
        }

        var key = (newEvent.UserAgent, newEvent.Referrer, newEvent.UserRole);
        if (_textColumns.TryGetValue(key, out var pooled))
        {
            return pooled;
        }

        var columns = new TextColumns(newEvent.UserAgent, newEvent.Referrer, newEvent.UserRole);
        if (_textColumns.Count < MaxPooledTextColumns)
        {
            _textColumns.Add(key, columns);
        }

        return columns;
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

    /// <summary>Takes the oldest arrival out of the indexes and the ring (in that order: the indexes look records up).</summary>
    public EventRecord RemoveOldest()
    {
        var record = At(Head);
        var position = EventPosition.Of(record);
        ByTime.Remove(position, this);
        if (record.IsError)
        {
            Errors.Remove(position, this);
            ErrorsByService.Remove(record.ServiceName, position, this);
        }

        ByName.Remove(record.Name, position, this, record.ServiceName);
        ByService.Remove(record.ServiceName, position, this);
        ByServiceAndName.Remove(record.ServiceName, record.Name, position, this);
        ByUser.Remove(record.UserId, position, this, record.ServiceName);
        BySession.Remove(record.SessionId, position, this, record.ServiceName);
        ByCorrelation.Remove(record.CorrelationId, position, this, record.ServiceName);
        _ring[Head % _ring.Length] = null;
        Head++;
        return record;
    }

    /// <summary>The held event that happened first, if any.</summary>
    public EventRecord? Earliest => ByTime.Count > 0 ? ByTime.RecordAt(0, this) : null;

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
