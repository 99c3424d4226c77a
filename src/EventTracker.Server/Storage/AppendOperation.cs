namespace EventTracker.Server.Storage;

/// <summary>
/// One append on its way through a store: a single event, or a batch with its id. <see cref="AppendPlanner"/>
/// decides what it stores (and which parts are replays), a durable store writes that down, and the store makes it
/// visible (<see cref="MemoryLayer.Apply"/>, or the commit of a database transaction).
/// </summary>
internal sealed class AppendOperation
{
    private AppendOperation(string? batchId, IReadOnlyList<NewEvent> events)
    {
        BatchId = batchId;
        Events = events;
    }

    public string? BatchId { get; }

    public IReadOnlyList<NewEvent> Events { get; }

    /// <summary>When the operation arrived: every event's <see cref="EventRecord.ReceivedAt"/>, and its time when the client gave none.</summary>
    public long Timestamp { get; set; }

    /// <summary>The sequence the first of <see cref="ToStore"/> gets; the rest follow without gaps.</summary>
    public long FirstSequence { get; set; }

    /// <summary>The events that are new, in order.</summary>
    public List<NewEvent> ToStore { get; } = [];

    /// <summary>For a batch seen before: what it was answered then.</summary>
    public BatchReceipt? ReplayedBatch { get; set; }

    /// <summary>For a single event whose client id is held: that event.</summary>
    public EventRecord? Earlier { get; set; }

    /// <summary>For a single event whose client id came earlier in the same group of appends: that one.</summary>
    public (AppendOperation Operation, int Index)? EarlierInGroup { get; set; }

    /// <summary>The records <see cref="ToStore"/> became, once applied.</summary>
    public List<EventRecord> Stored { get; } = [];

    public static AppendOperation Single(NewEvent newEvent) => new(null, [newEvent]);

    public static AppendOperation Batch(string batchId, IReadOnlyList<NewEvent> events) => new(batchId, events);

    public AppendResult ToAppendResult() =>
        Stored.Count > 0 ? new AppendResult(Stored[0], Replayed: false)
        : Earlier is { } earlier ? new AppendResult(earlier, Replayed: true)
        : new AppendResult(EarlierInGroup!.Value.Operation.Stored[EarlierInGroup.Value.Index], Replayed: true);

    public BatchAppendResult ToBatchResult() =>
        ReplayedBatch is { } receipt
            ? new BatchAppendResult([], receipt.ProcessedCount, receipt.Timestamp, Replayed: true)
            : new BatchAppendResult(Stored, Stored.Count, Timestamp, Replayed: false);
}
