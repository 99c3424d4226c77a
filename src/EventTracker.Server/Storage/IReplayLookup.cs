namespace EventTracker.Server.Storage;

/// <summary>What an append planner asks before storing: was this batch id or client event id stored already?</summary>
internal interface IReplayLookup
{
    bool TryGetEvent(string clientEventId, out EventRecord record);

    bool TryGetBatch(string batchId, out BatchReceipt receipt);
}
