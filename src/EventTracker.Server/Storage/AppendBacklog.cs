namespace EventTracker.Server.Storage;

/// <summary>
/// The events a store has taken but not yet written, at most <see cref="EventStoreOptions.MaxQueuedEvents"/>: past
/// that, an append is refused at once (<see cref="StoreUnavailableException"/>, so 503 with <c>Retry-After</c>) rather
/// than wait ever longer behind a writer that cannot keep up. An append is always taken when nothing waits, however
/// large. Refusals are counted in <see cref="Shed"/>.
/// </summary>
internal sealed class AppendBacklog(int maxQueuedEvents)
{
    private long _queued;
    private long _shed;

    /// <summary>Events taken and not yet written.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Appends refused because the backlog was full.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Takes room for <paramref name="operation"/>'s events until the returned reservation is disposed.</summary>
    /// <exception cref="StoreUnavailableException">The backlog is full.</exception>
    public Reservation Take(AppendOperation operation)
    {
        var count = Math.Max(1, operation.Events.Count);
        var queued = Interlocked.Add(ref _queued, count);
        if (queued > maxQueuedEvents && queued > count)
        {
            Interlocked.Add(ref _queued, -count);
            Interlocked.Increment(ref _shed);
            throw new StoreUnavailableException($"The server is behind writing events ({queued - count:N0} waiting); retry shortly.") { Shed = true };
        }

        return new Reservation(this, count);
    }

    /// <summary>Room taken in the backlog, given back when disposed.</summary>
    public readonly struct Reservation(AppendBacklog backlog, int count) : IDisposable
    {
        /// <summary>Gives the room back.</summary>
        public void Dispose() => Interlocked.Add(ref backlog._queued, -count);
    }
}
