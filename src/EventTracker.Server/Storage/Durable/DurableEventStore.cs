using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Storage.Durable;

/// <summary>
/// The default <see cref="IEventStore"/>: a <see cref="MemoryLayer"/> over a <see cref="SegmentLog"/> in the data
/// directory — memory answers queries, the log is the truth. Appends wait for the <see cref="GroupCommitWriter"/>,
/// at most <see cref="EventStoreOptions.MaxQueuedEvents"/> of them (more are refused at once). On start, the log is
/// read back into memory.
/// </summary>
internal sealed partial class DurableEventStore : MemoryLayerStore, IWriteStatistics, IDisposable
{
    private readonly Lock _logGate = new();
    private readonly EventStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DataDirectoryLock _directoryLock;
    private readonly SegmentLog _log;
    private readonly MemoryLayer _memory;
    private readonly GroupCommitWriter _writer;
    private readonly AppendBacklog _backlog;

    public DurableEventStore(IOptions<EventStoreOptions> options, TimeProvider time, ILogger<DurableEventStore> logger)
    {
        _options = options.Value;
        _backlog = new AppendBacklog(_options.MaxQueuedEvents);
        _time = time;
        _logger = logger;
        Directory = Path.GetFullPath(_options.DataDirectory);
        System.IO.Directory.CreateDirectory(Directory);
        _directoryLock = DataDirectoryLock.Acquire(Directory);
        try
        {
            _log = new SegmentLog(Directory, _options.SegmentBytes, _options.SegmentMaxAge, time, logger);
            var started = Stopwatch.GetTimestamp();
            MemoryLayer? memory = null;
            long recovered = 0;
            var firstSequence = _log.Recover(new StringPool(PayloadCodec.DefaultPoolCapacity), frame =>
            {
                memory ??= new MemoryLayer(_options, time, frame.FirstSequence);
                memory.Recover(frame.FirstSequence, frame.Timestamp, frame.BatchId, frame.Events);
                recovered += frame.Events.Count;
            });
            _memory = memory ?? new MemoryLayer(_options, time, firstSequence ?? EventIds.FirstSequence(time));
            _log.DeleteSegmentsBefore(_memory.FirstHeldSequence);
            if (recovered > 0)
            {
                // Reading the log back leaves a lot of garbage once; give that memory back to the system now rather than
                // carry it for the life of the server.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            LogRecovered(_logger, Directory, recovered, _memory.Count, elapsed.TotalMilliseconds, _options.FlushMode);
        }
        catch
        {
            _log?.Dispose();
            _directoryLock.Dispose();
            throw;
        }

        _writer = new GroupCommitWriter(_memory, _log, _logGate, _options, time, logger, Directory);
    }

    /// <summary>The data directory, as a full path.</summary>
    public string Directory { get; }

    protected override MemoryLayer Memory => _memory;

    /// <summary>Appends refused because too many events were waiting to be written.</summary>
    public long ShedAppends => _backlog.Shed;

    public long QueuedEvents => _backlog.Queued;

    public long DiskSyncs => _writer.Syncs;

    public double DiskSyncSeconds => _writer.SyncSeconds;

    /// <summary>For tests: awaited by the writer before each group it takes, so a test can hold the writer back.</summary>
    internal Func<Task>? BeforeEachGroup
    {
        get => _writer.BeforeEachGroup;
        set => _writer.BeforeEachGroup = value;
    }

    public override async ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken) =>
        (await EnqueueAsync(AppendOperation.Single(newEvent), cancellationToken)).ToAppendResult();

    public override async ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken) =>
        (await EnqueueAsync(AppendOperation.Batch(batchId, events), cancellationToken)).ToBatchResult();

    /// <summary>Stops taking appends, writes and flushes what was taken, and releases the directory.</summary>
    public void Dispose()
    {
        _writer.Stop();
        lock (_logGate)
        {
            _log.Dispose();
        }

        _memory.Dispose();
        _directoryLock.Dispose();
    }

    private async Task<AppendOperation> EnqueueAsync(AppendOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var reservation = _backlog.Take(operation);
        var pending = new PendingAppend(operation);
        if (!_writer.TryEnqueue(pending))
        {
            throw new StoreUnavailableException("The server is shutting down.");
        }

        // A cancelled caller stops waiting; the write it started still completes (or fails) for the others in its group.
        await pending.Completion.Task.WaitAsync(cancellationToken);
        return operation;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Event store: data directory {Directory}; recovered {Recovered} events ({Held} held) in {Milliseconds:0} ms; flush mode {FlushMode}.")]
    private static partial void LogRecovered(ILogger logger, string directory, long recovered, long held, double milliseconds, FlushMode flushMode);
}
