namespace EventTracker.Server.Storage;

/// <summary>
/// Decides, in order, what each of a group of appends stores: its arrival time (never decreasing), its positions, and
/// which of its events (or the whole batch) were stored before — as the store knows, or earlier in the
/// same group. The one idempotency rule of every store; they differ only in where they look things up.
/// </summary>
internal static class AppendPlanner
{
    /// <param name="operations">The group, in arrival order.</param>
    /// <param name="lookup">What was stored before the group.</param>
    /// <param name="now">The clock, in milliseconds since the Unix epoch.</param>
    /// <param name="nextPosition">The position the first stored event gets; moved past the last one planned.</param>
    /// <param name="lastArrival">The latest arrival time given; moved on to this group's.</param>
    public static void Plan(IReadOnlyList<AppendOperation> operations, IReplayLookup lookup, long now, ref long nextPosition, ref long lastArrival)
    {
        Dictionary<string, (AppendOperation, int)>? pendingEvents = null;
        Dictionary<string, BatchReceipt>? pendingBatches = null;
        foreach (var operation in operations)
        {
            lastArrival = Math.Max(now, lastArrival);
            operation.Timestamp = lastArrival;
            if (operation.BatchId is { } batchId
                && (lookup.TryGetBatch(batchId, out var receipt) || (pendingBatches?.TryGetValue(batchId, out receipt) ?? false)))
            {
                operation.ReplayedBatch = receipt;
                continue;
            }

            foreach (var newEvent in operation.Events)
            {
                if (newEvent.ClientEventId is { } clientId)
                {
                    if (lookup.TryGetEvent(clientId, out var earlier))
                    {
                        operation.Earlier ??= earlier;
                        continue;
                    }

                    pendingEvents ??= new(StringComparer.Ordinal);
                    if (pendingEvents.TryGetValue(clientId, out var inGroup))
                    {
                        operation.EarlierInGroup ??= inGroup;
                        continue;
                    }

                    pendingEvents.Add(clientId, (operation, operation.ToStore.Count));
                }

                operation.ToStore.Add(newEvent);
            }

            operation.FirstSequence = nextPosition;
            nextPosition += operation.ToStore.Count;
            if (operation.BatchId is { } id)
            {
                (pendingBatches ??= new(StringComparer.Ordinal))[id] = new BatchReceipt(operation.ToStore.Count, operation.Timestamp);
            }
        }
    }
}
