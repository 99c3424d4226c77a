using System.Diagnostics;
using System.Diagnostics.Metrics;
using EventTracker.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventTracker.Client;

/// <summary>
/// The default <see cref="IEventTracker"/>: <see cref="Track"/> puts the event in a queue bounded by the memory it
/// holds (<see cref="EventTrackerClientOptions.MaxQueueBytes"/>) and returns; one background loop sends batches when
/// <see cref="EventTrackerClientOptions.MaxBatchSize"/> events or <see cref="EventTrackerClientOptions.MaxBatchBytes"/>
/// are reached, or <see cref="EventTrackerClientOptions.FlushInterval"/> has passed. Batches the server cannot take
/// right now are retried with the same ids until <see cref="EventTrackerClientOptions.BatchRetryTimeout"/>; a full
/// queue drops by <see cref="EventTrackerClientOptions.QueueFullPolicy"/>, or makes <see cref="TrackAsync"/> wait
/// under <see cref="QueueFullPolicy.Wait"/>. Every drop and failure is counted, logged and published as a metric on
/// the <c>EventTracker.Client</c> meter. Every member is safe to call from any thread.
/// </summary>
/// <remarks>
/// The tracker sends through the client it is given and does not dispose it. With dependency injection
/// (<c>AddEventTracker</c>) the container owns both.
/// </remarks>
public sealed partial class BackgroundEventTracker : IEventTracker
{
    /// <summary>The name of the meter that publishes the tracker's counters.</summary>
    public const string MeterName = "EventTracker.Client";

    private readonly EventTrackerClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Meter? _ownMeter;
    private readonly DeliveryCounters _counters;
    private readonly EventQueue _queue;
    private readonly BatchWorker _worker;

    /// <summary>
    /// Starts a tracker that sends through <paramref name="client"/> with the client's options; logs a warning naming
    /// the option when <see cref="EventTrackerClientOptions.BaseAddress"/> or <see cref="EventTrackerClientOptions.ServiceName"/>
    /// is not set.
    /// </summary>
    /// <param name="client">The client that sends the batches (not disposed by the tracker).</param>
    /// <param name="logger">Where sending problems, and missing options, are logged.</param>
    /// <param name="timeProvider">The clock for flush intervals and retry back-off; the system clock when null.</param>
    /// <param name="meterFactory">Creates the <see cref="MeterName"/> meter (dependency injection passes the host's); a meter of the tracker's own when null.</param>
    public BackgroundEventTracker(
        EventTrackerClient client, ILogger<BackgroundEventTracker>? logger = null, TimeProvider? timeProvider = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _ownMeter = meterFactory is null ? new Meter(MeterName) : null;
        _counters = new DeliveryCounters(meterFactory?.Create(MeterName) ?? _ownMeter!);
        _options = client.Options;
        _time = timeProvider ?? TimeProvider.System;
        var log = logger ?? (ILogger)NullLogger<BackgroundEventTracker>.Instance;
        WarnOfMissingOptions(log, client);
        _queue = new EventQueue(_options, _counters);
        _worker = new BatchWorker(client, _queue, _counters, ReportGivenUp, log, _time);
    }

    /// <inheritdoc />
    public event EventHandler<EventTrackerSendFailedEventArgs>? SendFailed;

    /// <inheritdoc />
    public long DroppedCount => _counters.DroppedCount;

    /// <inheritdoc />
    public long SentCount => _counters.SentCount;

    /// <inheritdoc />
    public long FailedCount => _counters.FailedCount;

    /// <inheritdoc />
    /// <remarks>Never waits: under <see cref="QueueFullPolicy.Wait"/> a full queue drops the event (counted); use <see cref="TrackAsync"/> to wait.</remarks>
    public void Track(string eventName, AIEventPayload? payload = null, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        _queue.Add(Queued(eventName, payload, userId));
    }

    /// <inheritdoc />
    public ValueTask TrackAsync(string eventName, AIEventPayload? payload = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return _queue.AddAsync(Queued(eventName, payload, userId), cancellationToken);
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = _counters.FlushAsync(() => _queue.IsDrained, cancellationToken);
        _worker.Wake();
        return flushed;
    }

    /// <summary>
    /// Sends what is queued, waiting at most <see cref="EventTrackerClientOptions.ShutdownTimeout"/> (default 5 s);
    /// what is still undelivered then is given up, counted as dropped and logged as one warning with the count. Then
    /// stops the loop. Later calls return at once.
    /// </summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    /// <summary>
    /// Sends what is queued until <see cref="EventTrackerClientOptions.ShutdownTimeout"/> has passed or
    /// <paramref name="cancellationToken"/> fires (the host's shutdown token, for the flush service), whichever is
    /// first; what is undelivered then — queued or in flight — is given up without further sending, counted as
    /// dropped, and logged as one warning with the count. Then stops the loop.
    /// </summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue.Complete())
        {
#if NETSTANDARD2_0
            using var timeout = _time.CreateCancellationTokenSource(_options.ShutdownTimeout);
#else
            using var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _time);
#endif
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            await _worker.StopAsync(either.Token).ConfigureAwait(false);
            _worker.Dispose();
            _ownMeter?.Dispose();
        }
    }

    // When it happened and in which trace, noted here; formatted and serialized later, on the sending loop.
    private QueuedEvent Queued(string eventName, AIEventPayload? payload, string? userId) =>
        new(eventName, payload, userId, _time.GetUtcNow().ToUnixTimeMilliseconds(), Activity.Current?.TraceId ?? default,
            QueuedEvent.EstimateSize(eventName, payload, userId));

    private void ReportGivenUp(EventTrackerSendFailedEventArgs args) => SendFailed?.Invoke(this, args);

    private static void WarnOfMissingOptions(ILogger logger, EventTrackerClient client)
    {
        var options = client.Options;
        if (client.UsesDefaultAddress)
        {
            LogOptionMissing(logger, $"{EventTrackerClientOptions.Section}:{nameof(options.BaseAddress)}", $"events go to {EventTrackerClientOptions.DefaultBaseAddress}");
        }

        if (options.ServiceName is null)
        {
            LogOptionMissing(logger, $"{EventTrackerClientOptions.Section}:{nameof(options.ServiceName)}", "events that name no serviceName are stored without one");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Option} is not set: {Consequence}")]
    private static partial void LogOptionMissing(ILogger logger, string option, string consequence);
}
