namespace EventTracker.Server.Storage;

/// <summary>
/// The most recent removals from a <see cref="MemoryLayer"/>, numbered from 1 in the order they happened, each with
/// the newest sequence stored before it (so the feed can place it among the appends). Bounded: a follower that falls
/// further behind than it holds starts over. Not thread-safe: <see cref="MemoryLayer"/> guards it.
/// </summary>
internal sealed class RemovalLog(int capacity = RemovalLog.DefaultCapacity)
{
    /// <summary>Removals kept by default: in-process followers read within milliseconds, far fewer than this.</summary>
    public const int DefaultCapacity = 65_536;

    private readonly (long AfterAppended, EventRecord Record)[] _entries = new (long, EventRecord)[capacity];

    /// <summary>Removals made since start; the newest has this number.</summary>
    public long Count { get; private set; }

    /// <summary>The number of the oldest removal still held (<see cref="Count"/> + 1 when none is).</summary>
    public long FirstIndex => Math.Max(1, Count - _entries.Length + 1);

    public void Add(long afterAppended, EventRecord record) => _entries[Count++ % _entries.Length] = (afterAppended, record);

    /// <summary>The newest sequence stored before removal <paramref name="index"/>.</summary>
    public long AfterAppendedAt(long index) => _entries[(index - 1) % _entries.Length].AfterAppended;

    public EventRecord RecordAt(long index) => _entries[(index - 1) % _entries.Length].Record;
}
