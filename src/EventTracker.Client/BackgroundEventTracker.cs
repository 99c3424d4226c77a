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
/// the <c>EventTracker.Client</c> meter.
/// </summary>
public sealed class BackgroundEventTracker : IEventTracker
{
    /// <summary>The name of the meter that publishes the tracker's counters.</summary>
    public const string MeterName = "EventTracker.Client";

    private readonly EventTrackerClientOptions _options;
    private readonly TimeProvider _time;
    private readonly Meter? _ownMeter;
    private readonly DeliveryCounters _counters;
    private readonly EventQueue _queue;
    private readonly BatchWorker _worker;

    /// <summary>Starts a tracker that sends through <paramref name="client"/> with the client's options.</summary>
    /// <param name="client">The client that sends the batches.</param>
    /// <param name="logger">Where sending problems are logged.</param>
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
        _queue = new EventQueue(_options, _counters);
        _worker = new BatchWorker(client, _queue, _counters, ReportGivenUp, logger ?? NullLogger<BackgroundEventTracker>.Instance, _time);
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
    /// Sends what is queued, waiting at most <see cref="EventTrackerClientOptions.TotalTimeout"/>; what is still
    /// undelivered then is given up, counted as dropped and logged once. Then stops the loop.
    /// </summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
#if NETSTANDARD2_0
        using var timeout = _time.CreateCancellationTokenSource(_options.TotalTimeout);
#else
        using var timeout = new CancellationTokenSource(_options.TotalTimeout, _time);
#endif
        await StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends what is queued until <paramref name="cancellationToken"/> fires (the host's shutdown token, for the flush
    /// service); what is undelivered then — queued or in flight — is given up without further sending, counted as
    /// dropped, and logged as one warning with the count. Then stops the loop.
    /// </summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue.Complete())
        {
            await _worker.StopAsync(cancellationToken).ConfigureAwait(false);
            _worker.Dispose();
            _ownMeter?.Dispose();
        }
    }

    // When it happened and in which trace, noted here; formatted and serialized later, on the sending loop.
    private QueuedEvent Queued(string eventName, AIEventPayload? payload, string? userId) =>
        new(eventName, payload, userId, _time.GetUtcNow().ToUnixTimeMilliseconds(), Activity.Current?.TraceId ?? default,
            QueuedEvent.EstimateSize(eventName, payload, userId));

    private void ReportGivenUp(EventTrackerSendFailedEventArgs args) => SendFailed?.Invoke(this, args);
}
