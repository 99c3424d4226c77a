using Microsoft.Extensions.Logging;

namespace EventTracker.Client;

/// <summary>
/// The background tracker's one sending loop: gathers batches from the queue (full by count or bytes, or whatever
/// came within the flush interval or before a flush), sends each, retries transient failures with the same ids until
/// the retry timeout (the only retries: each attempt is one request, the client's per-request retries are off for it), and accounts for every event — sent, failed, or abandoned when stopped past its deadline.
/// </summary>
internal sealed partial class BatchWorker : IDisposable
{
    private readonly EventTrackerClient _client;
    private readonly EventTrackerClientOptions _options;
    private readonly EventQueue _queue;
    private readonly DeliveryCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Action<EventTrackerSendFailedEventArgs> _reportGivenUp;
    private readonly BatchItemWriter _items;
    private readonly CancellationTokenSource _abort = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _carriedOver;
    private long _abandoned;
    private volatile bool _abandoning;
    private volatile bool _stopping;
    private int _failedAttemptsInOutage;

    /// <param name="client">Sends the batches.</param>
    /// <param name="queue">Where the events come from.</param>
    /// <param name="counters">Where what became of them is counted.</param>
    /// <param name="reportGivenUp">Told of each batch given up (the tracker's <c>SendFailed</c>); what it throws is logged.</param>
    /// <param name="logger">Where sending problems are logged.</param>
    /// <param name="time">The clock of the flush interval and the back-off.</param>
    public BatchWorker(
        EventTrackerClient client, EventQueue queue, DeliveryCounters counters, Action<EventTrackerSendFailedEventArgs> reportGivenUp, ILogger logger,
        TimeProvider time)
    {
        _reportGivenUp = reportGivenUp;
        _items = new BatchItemWriter(client.Options.ServiceName);
        _client = client;
        _options = client.Options;
        _queue = queue;
        _counters = counters;
        _logger = logger;
        _time = time;
        Completion = Task.Run(RunAsync);
    }

    /// <summary>Completes when the queue is drained and the loop has stopped.</summary>
    public Task Completion { get; }

    /// <summary>Sends what is gathered now rather than at the end of the flush interval.</summary>
    public void Wake() => _wake.TrySetResult();

    /// <summary>
    /// Lets the loop drain the closed queue until <paramref name="cancellationToken"/> fires; then gives up what is
    /// left, queued or in flight, without sending it, counts it as dropped and logs one warning with the count.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        Wake();
        try
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _abandoning = true;
            await _abort.CancelAsync().ConfigureAwait(false);
            await Completion.ConfigureAwait(false);
        }

        if (Interlocked.Read(ref _abandoned) is > 0 and var abandoned)
        {
            LogUndeliveredAtShutdown(abandoned);
        }
    }

    /// <summary>Releases the loop's cancellation and buffers; after <see cref="StopAsync"/>.</summary>
    public void Dispose()
    {
        _abort.Dispose();
        _items.Dispose();
    }

    private async Task RunAsync()
    {
        while (await NextBatchAsync().ConfigureAwait(false) is { } batch)
        {
            if (_abandoning)
            {
                Abandon(batch);
            }
            else
            {
                await SendAsync(batch).ConfigureAwait(false);
            }

            _counters.CompleteFlushes(_queue.IsDrained);
        }

        _counters.CompleteFlushes(drained: true);
    }

    private async Task<BatchBody?> NextBatchAsync()
    {
        if (_carriedOver is null && !await _queue.WaitToTakeAsync().ConfigureAwait(false))
        {
            return null; // stopped and drained
        }

        var batch = new BatchBody(_options.MaxBatchBytes);
        if (_carriedOver is { } carried)
        {
            batch.TryAdd(carried);
            _carriedOver = null;
        }

        var deadline = _time.GetUtcNow() + _options.FlushInterval;
        var taken = 0L;
        while (batch.Count < _options.MaxBatchSize)
        {
            if (_queue.TryTake(out var queued))
            {
                taken += queued.Size;
                var serialized = _items.Write(queued);
                if (!batch.TryAdd(serialized))
                {
                    _carriedOver = serialized;
                    break;
                }

                continue;
            }

            // Nothing to take now: give back the room of what was taken, for adders waiting while this batch fills.
            _queue.Release(taken);
            taken = 0;

            // Renew the wake-up signal before checking for flushes, so a flush after the check wakes the wait below.
            var wake = RenewWake();
            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || _stopping || _counters.FlushRequested)
            {
                break;
            }

            using var stopWaiting = new CancellationTokenSource();
            await Task.WhenAny(_queue.WaitToTakeAsync(stopWaiting.Token).AsTask(), Task.Delay(remaining, _time, stopWaiting.Token), wake).ConfigureAwait(false);
            await stopWaiting.CancelAsync().ConfigureAwait(false); // release the timer and the read registration that did not fire
        }

        _queue.Release(taken);
        return batch;
    }

    private async Task SendAsync(BatchBody batch)
    {
        var giveUpAt = _time.GetUtcNow() + _options.BatchRetryTimeout;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Built anew for each attempt: its sentAt must say when this attempt was sent.
                var body = _client.ToBatchContent(batch.ToArray(_time.GetUtcNow().ToUnixTimeMilliseconds()));
                await _client.PostBatchAsync(body, singleAttempt: true, _abort.Token).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _failedAttemptsInOutage, 0) is > 0 and var failedAttempts)
                {
                    LogReachableAgain(failedAttempts);
                }

                _counters.CountSent(batch.Count);
                return;
            }
            catch (Exception) when (_abandoning)
            {
                Abandon(batch);
                return;
            }
            catch (Exception e) when (TransientFailure.Is(e) && !_abort.IsCancellationRequested && _time.GetUtcNow() < giveUpAt)
            {
                // Once per outage, not once per attempt: the next success says how many attempts failed.
                if (Interlocked.Increment(ref _failedAttemptsInOutage) == 1)
                {
                    LogRetrying(batch.BatchId, batch.Count, e.Message);
                }

                if (!await DelayAsync(_client.BackOff.Next(attempt)).ConfigureAwait(false))
                {
                    if (_abandoning)
                    {
                        Abandon(batch);
                    }
                    else
                    {
                        GiveUp(batch, e);
                    }

                    return;
                }
            }
#pragma warning disable CA1031 // whatever went wrong, the loop must go on and the events must be accounted for
            catch (Exception e)
#pragma warning restore CA1031
            {
                GiveUp(batch, e);
                return;
            }
        }
    }

    private void GiveUp(BatchBody batch, Exception exception)
    {
        _counters.CountFailed(batch.Count);
        LogGaveUp(exception, batch.BatchId, batch.Count);
        try
        {
            _reportGivenUp(new EventTrackerSendFailedEventArgs(batch.BatchId, batch.Count, exception));
        }
#pragma warning disable CA1031 // a subscriber's exception must not stop the sending loop
        catch (Exception handlerError)
#pragma warning restore CA1031
        {
            LogHandlerFailed(handlerError);
        }
    }

    // Stopping past its deadline: the batch is not sent, and is counted once in the shutdown warning.
    private void Abandon(BatchBody batch)
    {
        Interlocked.Add(ref _abandoned, batch.Count);
        _counters.CountDropped(batch.Count, wereAccepted: true);
    }

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _abort.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Task RenewWake()
    {
        if (_wake.Task.IsCompleted)
        {
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return _wake.Task;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "EventTracker cannot deliver batch {BatchId} ({Count} events) and keeps retrying it and what follows, with back-off: {Reason}")]
    private partial void LogRetrying(string batchId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "EventTracker delivers again, after {FailedAttempts} failed attempts")]
    private partial void LogReachableAgain(int failedAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "EventTracker stopped before it could deliver {Count} events; they are counted as dropped")]
    private partial void LogUndeliveredAtShutdown(long count);

    [LoggerMessage(Level = LogLevel.Error, Message = "EventTracker gave up batch {BatchId} ({Count} events)")]
    private partial void LogGaveUp(Exception exception, string batchId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "An EventTracker SendFailed handler threw")]
    private partial void LogHandlerFailed(Exception exception);
}
