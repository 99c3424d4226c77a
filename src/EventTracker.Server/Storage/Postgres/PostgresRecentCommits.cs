namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The events this node committed last, so that its own followers (the analytics projection, the live broadcast)
/// read them without reading them back from the database. Positions are gap-free in the database (each group takes the
/// ones after the feed row's, under its lock), so a run of consecutive positions here holds every event in that range,
/// whichever node wrote the events around it; anything else is read from the database.
/// </summary>
internal sealed class PostgresRecentCommits
{
    /// <summary>Events kept, at most: a few group commits' worth, enough for followers that keep up.</summary>
    public const int Capacity = 16_384;

    private readonly Lock _gate = new();
    private readonly Queue<(EventRecord Record, long Removals)> _records = new();

    /// <summary>Keeps the events one commit stored, with the feed's removal count as of that commit.</summary>
    public void Add(IReadOnlyList<EventRecord> records, long removals)
    {
        lock (_gate)
        {
            foreach (var record in records)
            {
                _records.Enqueue((record, removals));
            }

            while (_records.Count > Capacity)
            {
                _records.Dequeue();
            }
        }
    }

    /// <summary>
    /// The changes after <paramref name="after"/> when this node committed the next position and retention has
    /// not run since <paramref name="after"/> was read: its consecutive positions from there, at most
    /// <paramref name="maxChanges"/>. Null when the database must answer.
    /// </summary>
    public FeedPage? TryRead(FeedPosition after, int maxChanges)
    {
        lock (_gate)
        {
            var changes = new List<StoreChange>();
            var next = after;
            foreach (var (record, removals) in _records)
            {
                if (record.Sequence <= next.Appended)
                {
                    continue;
                }

                if (record.Sequence != next.Appended + 1 || removals != after.Removed || changes.Count == maxChanges)
                {
                    break;
                }

                changes.Add(StoreChange.Appended(record));
                next = new FeedPosition(record.Sequence, removals);
            }

            return changes.Count == 0 ? null : new FeedPage(changes, next);
        }
    }
}
