namespace EventTracker.Server.Storage;

/// <summary>
/// The hot layer every in-process store keeps in memory: the <see cref="EventTable"/>, the <see cref="ReplayLedger"/>,
/// eviction by capacity and age, and the change feed (<see cref="Read"/>: the held events by sequence, and the recent
/// removals in the <see cref="RemovalLog"/>). Appends go in two steps so a durable store can write between them:
/// <see cref="Plan"/> (one planner at a time) decides sequences, timestamps and replays, then <see cref="Apply"/>
/// makes the planned events visible, in the same order.
/// </summary>
internal sealed class MemoryLayer : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TimeProvider _time;
    private readonly long? _maxAgeMs;
    private readonly EventTable _table;
    private readonly ReplayLedger _ledger;
    private readonly RemovalLog _removals = new();
    private readonly ITimer? _expiry;
    private TaskCompletionSource _changed = NewSignal();
    private long _evicted;

    // The planner's view: ahead of the table by what is planned and not yet applied.
    private long _plannedNext;
    private long _plannedLastArrival;

    public MemoryLayer(EventStoreOptions options, TimeProvider time, long firstSequence)
    {
        _time = time;
        _maxAgeMs = options.MaxAge is { } maxAge ? (long)maxAge.TotalMilliseconds : null;
        _table = new EventTable(options.Capacity, firstSequence);
        _ledger = new ReplayLedger(options.MaxRememberedBatches);
        _plannedNext = firstSequence;

        // Appends and queries evict what expired; this does it for a store that gets neither, so its followers
        // (statistics, insights) let go of events past the maximum age too.
        if (options.MaxAge is { } age)
        {
            var period = TimeSpan.FromTicks(Math.Clamp(age.Ticks / 10, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            _expiry = time.CreateTimer(static layer => ((MemoryLayer)layer!).EvictExpiredOnTimer(), this, period, period);
        }
    }

    public long Count => Read(static table => table.Count);

    /// <summary>The sequence of the oldest held event, or of the next one when none is held.</summary>
    public long FirstHeldSequence => Read(static table => table.Head);

    public long EvictedCount => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Decides, in order, what each operation stores: its arrival time (never decreasing), its sequences, and which of its events (or the
    /// whole batch) were seen before — within the ledger, or earlier in <paramref name="operations"/>. Callers must not
    /// plan concurrently, and must <see cref="Apply"/> what they planned, in order, before planning again.
    /// </summary>
    public void Plan(IReadOnlyList<AppendOperation> operations)
    {
        // The ledger is read under the lock: a query's eviction forgets ids (under the write lock) while appends plan.
        _lock.EnterReadLock();
        try
        {
            AppendPlanner.Plan(operations, _ledger, _time.GetUtcNow().ToUnixTimeMilliseconds(), ref _plannedNext, ref _plannedLastArrival);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Forgets what was planned and not applied (its write failed), so its sequences are given again.</summary>
    public void AbandonPlan() => _plannedNext = Read(static table => table.Next);

    /// <summary>Makes planned operations visible, evicting what capacity and age require, and tells the observers.</summary>
    public void Apply(IReadOnlyList<AppendOperation> operations)
    {
        _lock.EnterWriteLock();
        try
        {
            EvictExpiredLocked();
            foreach (var operation in operations)
            {
                if (operation.ReplayedBatch is null)
                {
                    StoreLocked(operation.ToStore, operation.Timestamp, operation.Stored);
                    if (operation.BatchId is { } batchId)
                    {
                        _ledger.RememberBatch(batchId, new BatchReceipt(operation.ToStore.Count, operation.Timestamp));
                    }
                }
            }

            SignalLocked();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Puts back an operation read from a log at start-up, with the sequences and arrival time it had.</summary>
    public void Recover(long firstSequence, long receivedAt, string? batchId, IReadOnlyList<NewEvent> events)
    {
        _lock.EnterWriteLock();
        try
        {
            if (firstSequence != _table.Next && events.Count > 0)
            {
                // A gap (a damaged segment was skipped): the ring holds consecutive sequences only, so what came before goes.
                while (_table.Count > 0)
                {
                    EvictOldestLocked();
                }

                _table.Restart(firstSequence);
            }

            StoreLocked(events, receivedAt, stored: null);
            if (batchId is not null)
            {
                _ledger.RememberBatch(batchId, new BatchReceipt(events.Count, receivedAt));
            }

            _plannedNext = _table.Next;
            _plannedLastArrival = Math.Max(_plannedLastArrival, receivedAt);
            SignalLocked();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public EventPage Query(Contracts.EventFilter filter, long? from, long? to, int limit, EventPosition? before)
    {
        EvictExpired();
        _lock.EnterReadLock();
        try
        {
            return new QueryPlanner(_table, filter, from, to, limit, before).Run();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void EvictExpired()
    {
        if (_maxAgeMs is null)
        {
            return;
        }

        _lock.EnterWriteLock();
        try
        {
            if (EvictExpiredLocked())
            {
                SignalLocked();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void EvictExpiredOnTimer()
    {
        try
        {
            // A fake clock fires timers on whichever thread reads it, which may be one holding the lock; the next tick evicts.
            if (!_lock.IsReadLockHeld && !_lock.IsWriteLockHeld)
            {
                EvictExpired();
            }
        }
        catch (ObjectDisposedException)
        {
            // The store closed while the timer fired.
        }
    }

    /// <summary>The feed's end: the newest sequence given and the removals made.</summary>
    public FeedPosition Head => Read(table => new FeedPosition(table.Next - 1, _removals.Count));

    /// <summary>
    /// Up to <paramref name="maxChanges"/> changes after <paramref name="after"/>, merged in the order they happened.
    /// An event stored and evicted again before the follower read it is skipped both times; a follower whose
    /// removals have left the log is told to start over.
    /// </summary>
    public FeedPage Read(FeedPosition after, int maxChanges)
    {
        _lock.EnterReadLock();
        try
        {
            // Sized to what is owed, not to a page: followers read after every append, and a page-sized array each time
            // (24 KiB) was most of what a single-event request allocated.
            var owed = Math.Max(0, _table.Next - 1 - after.Appended) + Math.Max(0, _removals.Count - after.Removed) + 1;
            var changes = new List<StoreChange>((int)Math.Min(maxChanges, owed));
            var appended = after.Appended;
            var removed = after.Removed;
            if (removed < _removals.FirstIndex - 1 || removed > _removals.Count || appended >= _table.Next)
            {
                // Removals this follower was owed are gone (or it read another store): it rebuilds from what is held.
                changes.Add(StoreChange.Reset);
                appended = _table.Head - 1;
                removed = _removals.Count;
            }

            if (appended + 1 < _table.Head)
            {
                // Events were stored and evicted again since this follower read: it was never given them, so it skips their
                // removals (evictions go oldest first, so every removal still owed to it comes before theirs in the log).
                while (removed < _removals.Count && _removals.RecordAt(removed + 1).Sequence < _table.Head)
                {
                    var record = _removals.RecordAt(++removed);
                    if (record.Sequence <= appended)
                    {
                        changes.Add(StoreChange.Removed(record));
                    }
                }

                appended = _table.Head - 1;
            }

            // Every removal left is of an event this follower was given; each goes after the append it followed.
            while (changes.Count < maxChanges)
            {
                var hasAppend = appended + 1 < _table.Next;
                if (removed < _removals.Count && (!hasAppend || _removals.AfterAppendedAt(removed + 1) <= appended))
                {
                    changes.Add(StoreChange.Removed(_removals.RecordAt(++removed)));
                }
                else if (hasAppend)
                {
                    changes.Add(StoreChange.Appended(_table.At(++appended)));
                }
                else
                {
                    break;
                }
            }

            return new FeedPage(changes, new FeedPosition(appended, removed));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Completes once the feed holds a change after <paramref name="after"/>.</summary>
    public Task WaitForChangesAsync(FeedPosition after, CancellationToken cancellationToken)
    {
        Task changed;
        _lock.EnterReadLock();
        try
        {
            if (_table.Next - 1 != after.Appended || _removals.Count != after.Removed)
            {
                return Task.CompletedTask;
            }

            changed = _changed.Task;
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return changed.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _expiry?.Dispose();
        _changed.TrySetCanceled();
        _lock.Dispose();
    }

    private void StoreLocked(IReadOnlyList<NewEvent> events, long receivedAt, List<EventRecord>? stored)
    {
        foreach (var newEvent in events)
        {
            if (_table.IsFull)
            {
                EvictOldestLocked();
            }

            var record = _table.Add(newEvent, newEvent.OccurredAt ?? receivedAt, receivedAt);
            _ledger.Remember(record);
            stored?.Add(record);
        }
    }

    private bool EvictExpiredLocked()
    {
        if (_maxAgeMs is not { } maxAge)
        {
            return false;
        }

        var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - maxAge;
        // By arrival, the ring's order: ingestion refuses event times older than the retention window, so no event outlives
        // its time by more than twice the maximum age.
        var evicted = false;
        while (_table.Count > 0 && _table.Oldest.ReceivedAt < cutoff)
        {
            EvictOldestLocked();
            evicted = true;
        }

        return evicted;
    }

    private void EvictOldestLocked()
    {
        var record = _table.RemoveOldest();
        _ledger.Forget(record);
        _removals.Add(_table.Next - 1, record);
        Interlocked.Increment(ref _evicted);
    }

    private void SignalLocked()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private T Read<T>(Func<EventTable, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(_table);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
