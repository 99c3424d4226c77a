using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using EventTracker.Contracts;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Storage.Durable;

/// <summary>
/// The default <see cref="IEventStore"/>: a <see cref="MemoryLayer"/> over a <see cref="SegmentLog"/> in the data
/// directory — memory answers queries, the log is the truth. Appends wait in a queue; one writer takes all that
/// is waiting, plans it, writes it as one piece, flushes it to disk once (per <see cref="FlushMode"/>), makes it
/// visible and then acknowledges all of it (group commit). On start, the log is read back into memory.
/// </summary>
internal sealed partial class DurableEventStore : IEventStore, IDisposable
{
    private const int MaxGroupOperations = 4096;
    private const int MaxGroupBytes = 8 * 1024 * 1024;

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _logGate = new();
    private readonly EventStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DataDirectoryLock _directoryLock;
    private readonly SegmentLog _log;
    private readonly MemoryLayer _memory;
    private readonly Task _writer;
    private readonly ArrayBufferWriter<byte> _frames = new(64 * 1024);
    private long _lastFlush;
    private bool _unflushed;
    private long _queuedEvents;
    private long _shedAppends;

    public DurableEventStore(IOptions<EventStoreOptions> options, TimeProvider time, ILogger<DurableEventStore> logger)
    {
        _options = options.Value;
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

        _lastFlush = Stopwatch.GetTimestamp();
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The data directory, as a full path.</summary>
    public string Directory { get; }

    public long Count => _memory.Count;

    public long EvictedCount => _memory.EvictedCount;

    /// <summary>Appends refused because too many events were waiting to be written.</summary>
    public long ShedAppends => Interlocked.Read(ref _shedAppends);

    /// <summary>For tests: awaited by the writer before each group it takes, so a test can hold the writer back.</summary>
    internal Func<Task>? BeforeEachGroup { get; set; }

    public async ValueTask<AppendResult> AppendAsync(NewEvent newEvent) =>
        (await EnqueueAsync(AppendOperation.Single(newEvent))).ToAppendResult();

    public async ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events) =>
        (await EnqueueAsync(AppendOperation.Batch(batchId, events))).ToBatchResult();

    public EventPage Query(EventFilter filter, long? from, long? to, int limit, EventPosition? before) =>
        _memory.Query(filter, from, to, limit, before);

    public void EvictExpired()
    {
        _memory.EvictExpired();
        lock (_logGate)
        {
            _log.DeleteSegmentsBefore(_memory.FirstHeldSequence);
        }
    }

    public IDisposable Subscribe(IEventStoreObserver observer) => _memory.Subscribe(observer);

    /// <summary>Stops taking appends, writes and flushes what was taken, and releases the directory.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        lock (_logGate)
        {
            _log.Dispose();
        }

        _memory.Dispose();
        _directoryLock.Dispose();
    }

    private async Task<AppendOperation> EnqueueAsync(AppendOperation operation)
    {
        var count = Math.Max(1, operation.Events.Count);
        var queued = Interlocked.Add(ref _queuedEvents, count);
        if (queued > _options.MaxQueuedEvents && queued > count)
        {
            Interlocked.Add(ref _queuedEvents, -count);
            Interlocked.Increment(ref _shedAppends);
            throw new StoreUnavailableException($"The server is behind writing events ({queued - count:N0} waiting); retry shortly.");
        }

        var pending = new PendingAppend(operation);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Add(ref _queuedEvents, -count);
            throw new StoreUnavailableException("The server is shutting down.");
        }

        try
        {
            await pending.Completion.Task;
        }
        finally
        {
            Interlocked.Add(ref _queuedEvents, -count);
        }

        return operation;
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<PendingAppend>();
        var operations = new List<AppendOperation>();
        while (await WaitForWorkAsync())
        {
            if (BeforeEachGroup is { } gate)
            {
                await gate();
            }

            var bytes = 0;
            while (group.Count < MaxGroupOperations && bytes < MaxGroupBytes && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                operations.Add(pending.Operation);
                bytes += pending.Operation.Events.Sum(e => e.PayloadJson.Length);
            }

            if (group.Count > 0)
            {
                try
                {
                    Commit(group, operations);
                }
                catch (Exception e)
                {
                    // A bug must not stop the writer, or every later append would wait forever.
                    _memory.AbandonPlan();
                    LogCommitFailed(_logger, e);
                    foreach (var pending in group)
                    {
                        pending.Completion.TrySetException(new StoreUnavailableException("The events could not be stored.", e));
                    }
                }

                group.Clear();
                operations.Clear();
            }
        }

        lock (_logGate)
        {
            FlushIfUnflushed();
        }
    }

    /// <summary>Waits for appends; with <see cref="FlushMode.Interval"/>, flushes when the interval passes first. False once stopped.</summary>
    private async Task<bool> WaitForWorkAsync()
    {
        if (_queue.Reader.TryPeek(out _))
        {
            return true;
        }

        if (_options.FlushMode == FlushMode.Interval && _unflushed)
        {
            var remaining = _options.FlushInterval - Stopwatch.GetElapsedTime(_lastFlush);
            var waiting = _queue.Reader.WaitToReadAsync().AsTask();
            if (remaining > TimeSpan.Zero && await Task.WhenAny(waiting, Task.Delay(remaining, _time)) == waiting)
            {
                return await waiting;
            }

            lock (_logGate)
            {
                FlushIfUnflushed();
            }

            return await waiting;
        }

        return await _queue.Reader.WaitToReadAsync();
    }

    private void Commit(List<PendingAppend> group, List<AppendOperation> operations)
    {
        _memory.Plan(operations);
        _frames.ResetWrittenCount();
        long? firstSequence = null;
        long nextSequence = 0;
        foreach (var operation in operations)
        {
            if (operation.ReplayedBatch is null && (operation.ToStore.Count > 0 || operation.BatchId is not null))
            {
                LogFrame.Write(_frames, operation);
                firstSequence ??= operation.FirstSequence;
                nextSequence = operation.FirstSequence + operation.ToStore.Count;
            }
        }

        if (firstSequence is { } first)
        {
            try
            {
                lock (_logGate)
                {
                    _log.Append(_frames.WrittenSpan, first, nextSequence);
                    _unflushed = true;
                    try
                    {
                        if (_options.FlushMode == FlushMode.Sync
                            || (_options.FlushMode == FlushMode.Interval && Stopwatch.GetElapsedTime(_lastFlush) >= _options.FlushInterval))
                        {
                            FlushIfUnflushed();
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Not acknowledged, so not kept: its sequences are given again to what comes next.
                        _log.UndoLastAppend();
                        throw;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _memory.AbandonPlan();
                LogWriteFailed(_logger, Directory, e.Message, e);
                var refusal = new StoreUnavailableException($"Events cannot be written to the data directory now: {e.Message}", e);
                foreach (var pending in group)
                {
                    pending.Completion.TrySetException(refusal);
                }

                return;
            }
        }

        _memory.Apply(operations);
        lock (_logGate)
        {
            _log.DeleteSegmentsBefore(_memory.FirstHeldSequence);
        }

        foreach (var pending in group)
        {
            pending.Completion.TrySetResult();
        }
    }

    private void FlushIfUnflushed()
    {
        if (_unflushed)
        {
            if (_options.FlushMode != FlushMode.Never)
            {
                _log.FlushToDisk();
            }

            _unflushed = false;
            _lastFlush = Stopwatch.GetTimestamp();
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Event store: data directory {Directory}; recovered {Recovered} events ({Held} held) in {Milliseconds:0} ms; flush mode {FlushMode}.")]
    private static partial void LogRecovered(ILogger logger, string directory, long recovered, long held, double milliseconds, FlushMode flushMode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing to the data directory {Directory} failed ({Reason}); ingestion answers 503 until a write succeeds.")]
    private static partial void LogWriteFailed(ILogger logger, string directory, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Storing a group of appends failed unexpectedly; they were refused.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);

    private sealed class PendingAppend(AppendOperation operation)
    {
        public AppendOperation Operation { get; } = operation;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
