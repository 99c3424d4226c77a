using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Threading.Channels;
using EventTracker.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.Timeout;

namespace EventTracker.Client;

/// <summary>
/// The default <see cref="IEventTracker"/>: a bounded queue drained by one background loop that sends batches when
/// <see cref="EventTrackerClientOptions.MaxBatchSize"/> events or <see cref="EventTrackerClientOptions.MaxBatchBytes"/>
/// are reached, or <see cref="EventTrackerClientOptions.FlushInterval"/> has passed. Batches the server cannot take
/// right now are retried with the same ids until <see cref="EventTrackerClientOptions.BatchRetryTimeout"/>; a full
/// queue drops by <see cref="EventTrackerClientOptions.QueueFullPolicy"/>. Every drop and failure is counted, logged
/// and published as a metric on the <c>EventTracker.Client</c> meter.
/// </summary>
public sealed partial class BackgroundEventTracker : IEventTracker
{
    /// <summary>The name of the meter that publishes the tracker's counters.</summary>
    public const string MeterName = "EventTracker.Client";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> SentCounter = Meter.CreateCounter<long>("eventtracker.client.events.sent", "{event}", "Events the server stored.");
    private static readonly Counter<long> DroppedCounter = Meter.CreateCounter<long>("eventtracker.client.events.dropped", "{event}", "Events dropped because the queue was full.");
    private static readonly Counter<long> FailedCounter = Meter.CreateCounter<long>("eventtracker.client.events.failed", "{event}", "Events given up after failed sends.");

    private readonly EventTrackerClient _client;
    private readonly EventTrackerClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<QueuedEvent> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _flushLock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushWaiters = [];
    private readonly Task _loop;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _disposing;
    private long _accepted;
    private long _finished;
    private long _dropped;
    private long _sent;
    private long _failed;
    private byte[]? _carriedOver;
    private long _abandoned;
    private volatile bool _abandoning;
    private int _failedAttemptsInOutage;

    /// <summary>Starts a tracker that sends through <paramref name="client"/> with the client's options.</summary>
    /// <param name="client">The client that sends the batches.</param>
    /// <param name="logger">Where sending problems are logged.</param>
    /// <param name="timeProvider">The clock for flush intervals and retry back-off; the system clock when null.</param>
    public BackgroundEventTracker(EventTrackerClient client, ILogger<BackgroundEventTracker>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = client.Options;
        _logger = logger ?? NullLogger<BackgroundEventTracker>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _queue = Channel.CreateBounded<QueuedEvent>(
            new BoundedChannelOptions(_options.QueueCapacity)
            {
                FullMode = _options.QueueFullPolicy == QueueFullPolicy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.DropWrite,
                SingleReader = true,
            },
            OnDropped);
        _loop = Task.Run(RunAsync);
    }

    /// <inheritdoc />
    public event EventHandler<EventTrackerSendFailedEventArgs>? SendFailed;

    /// <inheritdoc />
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public long SentCount => Interlocked.Read(ref _sent);

    /// <inheritdoc />
    public long FailedCount => Interlocked.Read(ref _failed);

    /// <inheritdoc />
    public void Track(string eventName, AIEventPayload? payload = null, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        if (_queue.Writer.TryWrite(new QueuedEvent(eventName, payload, userId, _time.GetUtcNow().ToUnixTimeMilliseconds(), Activity.Current?.TraceId ?? default)))
        {
            Interlocked.Increment(ref _accepted);
        }
        else
        {
            CountDropped(1); // the tracker is disposed
        }
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushLock)
        {
            _flushWaiters.Add((Interlocked.Read(ref _accepted), done));
        }

        CompleteFlushWaiters();
        _wake.TrySetResult();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends what is queued, waiting at most <see cref="EventTrackerClientOptions.TotalTimeout"/>; what is still
    /// undelivered then is given up, counted as dropped and logged once. Then stops the loop.
    /// </summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(_options.TotalTimeout, _time);
        await StopAsync(timeout.Token);
    }

    /// <summary>
    /// Sends what is queued until <paramref name="cancellationToken"/> fires (the host's shutdown token, for the flush
    /// service); what is undelivered then — queued or in flight — is given up without further sending, counted as
    /// dropped, and logged as one warning with the count. Then stops the loop.
    /// </summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        _disposing = true;
        if (!_queue.Writer.TryComplete())
        {
            return;
        }

        _wake.TrySetResult();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _abandoning = true;
            await _abort.CancelAsync();
            await _loop;
        }

        if (Interlocked.Read(ref _abandoned) is > 0 and var abandoned)
        {
            LogUndeliveredAtShutdown(abandoned);
        }

        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        while (await NextBatchAsync() is { } batch)
        {
            if (_abandoning)
            {
                Abandon(batch);
            }
            else
            {
                await SendAsync(batch);
            }

            CompleteFlushWaiters();
        }

        CompleteFlushWaiters();
    }

    /// <summary>Gathers the next batch: full by count or bytes, or whatever came within the flush interval.</summary>
    private async Task<BatchBody?> NextBatchAsync()
    {
        var reader = _queue.Reader;
        if (_carriedOver is null && !await reader.WaitToReadAsync())
        {
            return null; // disposed and drained
        }

        var batch = new BatchBody(_options.MaxBatchBytes);
        if (_carriedOver is { } carried)
        {
            batch.TryAdd(carried);
            _carriedOver = null;
        }

        var deadline = _time.GetUtcNow() + _options.FlushInterval;
        while (batch.Count < _options.MaxBatchSize)
        {
            if (reader.TryRead(out var queued))
            {
                var serialized = BatchBody.Serialize(queued, _options.ServiceName);
                if (!batch.TryAdd(serialized))
                {
                    _carriedOver = serialized;
                    break;
                }

                continue;
            }

            // Renew the wake-up signal before checking for flushes, so a flush after the check wakes the wait below.
            var wake = RenewWake();
            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || _disposing || FlushRequested())
            {
                break;
            }

            using var stopWaiting = new CancellationTokenSource();
            await Task.WhenAny(reader.WaitToReadAsync(stopWaiting.Token).AsTask(), Task.Delay(remaining, _time, stopWaiting.Token), wake);
            await stopWaiting.CancelAsync(); // release the timer and the read registration that did not fire
        }

        return batch;
    }

    /// <summary>Sends the batch, retrying transient failures with the same ids (and event times) until the retry timeout.</summary>
    private async Task SendAsync(BatchBody batch)
    {
        var giveUpAt = _time.GetUtcNow() + _options.BatchRetryTimeout;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // Built anew for each attempt: its sentAt must say when this attempt was sent.
                var body = _client.ToBatchContent(batch.ToArray(_time.GetUtcNow().ToUnixTimeMilliseconds()));
                await _client.PostBatchAsync(body, _abort.Token);
                if (Interlocked.Exchange(ref _failedAttemptsInOutage, 0) is > 0 and var failedAttempts)
                {
                    LogReachableAgain(failedAttempts);
                }

                Interlocked.Add(ref _sent, batch.Count);
                SentCounter.Add(batch.Count);
                Finish(batch.Count);
                return;
            }
            catch (Exception) when (_abandoning)
            {
                Abandon(batch);
                return;
            }
            catch (Exception e) when (IsTransient(e) && !_abort.IsCancellationRequested && _time.GetUtcNow() < giveUpAt)
            {
                // Once per outage, not once per attempt: the next success says how many attempts failed.
                if (Interlocked.Increment(ref _failedAttemptsInOutage) == 1)
                {
                    LogRetrying(batch.BatchId, batch.Count, e.Message);
                }

                if (!await DelayAsync(_client.BackOff(attempt)))
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
        Interlocked.Add(ref _failed, batch.Count);
        FailedCounter.Add(batch.Count);
        Finish(batch.Count);
        LogGaveUp(exception, batch.BatchId, batch.Count);
        try
        {
            SendFailed?.Invoke(this, new EventTrackerSendFailedEventArgs(batch.BatchId, batch.Count, exception));
        }
#pragma warning disable CA1031 // a subscriber's exception must not stop the sending loop
        catch (Exception handlerError)
#pragma warning restore CA1031
        {
            LogHandlerFailed(handlerError);
        }
    }

    // Shutting down past its deadline: the batch is not sent, and is counted once in the shutdown warning.
    private void Abandon(BatchBody batch)
    {
        Interlocked.Add(ref _abandoned, batch.Count);
        CountDropped(batch.Count);
        Finish(batch.Count);
    }

    private static bool IsTransient(Exception e) => e switch
    {
        EventTrackerException { StatusCode: HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests } => true,
        EventTrackerException server => (int)server.StatusCode >= 500,
        HttpRequestException or TimeoutRejectedException or TaskCanceledException => true,
        _ => false,
    };

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _abort.Token);
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

    private bool FlushRequested()
    {
        lock (_flushLock)
        {
            return _flushWaiters.Count > 0;
        }
    }

    private void OnDropped(QueuedEvent dropped)
    {
        CountDropped(1);
        Finish(1); // it had been accepted into the queue
    }

    private void CountDropped(long count)
    {
        Interlocked.Add(ref _dropped, count);
        DroppedCounter.Add(count);
    }

    private void Finish(long count)
    {
        Interlocked.Add(ref _finished, count);
    }

    private void CompleteFlushWaiters()
    {
        var finished = Interlocked.Read(ref _finished);
        var drained = _queue.Reader.Completion.IsCompleted;
        lock (_flushLock)
        {
            _flushWaiters.RemoveAll(waiter =>
            {
                if (waiter.Target > finished && !drained)
                {
                    return false;
                }

                waiter.Done.TrySetResult();
                return true;
            });
        }
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
