using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace EventTracker.Server.Storage.Durable;

/// <summary>
/// The one writer of a <see cref="DurableEventStore"/> (group commit): it takes every append that is waiting, plans
/// them in the <see cref="MemoryLayer"/>, writes them to the <see cref="SegmentLog"/> as one piece, flushes once as the
/// <see cref="FlushMode"/> says, makes them visible, and only then acknowledges all of them. A write that fails is
/// refused whole (503) and leaves nothing behind.
/// </summary>
internal sealed partial class GroupCommitWriter
{
    private long _syncs;
    private long _syncTicks;

    /// <summary>Times the log was forced to disk.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Time spent forcing the log to disk, in seconds.</summary>
    public double SyncSeconds => TimeSpan.FromTicks(Interlocked.Read(ref _syncTicks)).TotalSeconds;

    private const int MaxGroupOperations = 4096;
    private const int MaxGroupBytes = 8 * 1024 * 1024;

    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ArrayBufferWriter<byte> _frames = new(64 * 1024);
    private readonly MemoryLayer _memory;
    private readonly SegmentLog _log;
    private readonly Lock _logGate;
    private readonly EventStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _directory;
    private readonly Task _loop;
    private long _lastFlush = Stopwatch.GetTimestamp();
    private bool _unflushed;

    /// <param name="memory">Where appends are planned and made visible.</param>
    /// <param name="log">Where they are written; only under <paramref name="logGate"/>.</param>
    /// <param name="logGate">Guards <paramref name="log"/>, which the store also deletes segments from.</param>
    /// <param name="options">The flush mode and interval.</param>
    /// <param name="time">The clock the flush interval is waited on.</param>
    /// <param name="logger">Where write failures are reported.</param>
    /// <param name="directory">The data directory, for messages.</param>
    public GroupCommitWriter(
        MemoryLayer memory, SegmentLog log, Lock logGate, EventStoreOptions options, TimeProvider time, ILogger logger, string directory)
    {
        _memory = memory;
        _log = log;
        _logGate = logGate;
        _options = options;
        _time = time;
        _logger = logger;
        _directory = directory;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>For tests: awaited before each group is taken, so a test can hold the writer back.</summary>
    public Func<Task>? BeforeEachGroup { get; set; }

    /// <summary>Queues an append; false once the writer is stopping.</summary>
    public bool TryEnqueue(PendingAppend pending) => _queue.Writer.TryWrite(pending);

    /// <summary>Takes no more appends, writes and flushes what was taken, and returns when that is done.</summary>
    public void Stop()
    {
        _queue.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
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
                LogWriteFailed(_logger, _directory, e.Message, e);
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
                var started = Stopwatch.GetTimestamp();
                _log.FlushToDisk();
                Interlocked.Add(ref _syncTicks, Stopwatch.GetElapsedTime(started).Ticks);
                Interlocked.Increment(ref _syncs);
            }

            _unflushed = false;
            _lastFlush = Stopwatch.GetTimestamp();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing to the data directory {Directory} failed ({Reason}); ingestion answers 503 until a write succeeds.")]
    private static partial void LogWriteFailed(ILogger logger, string directory, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Storing a group of appends failed unexpectedly; they were refused.")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception);
}
