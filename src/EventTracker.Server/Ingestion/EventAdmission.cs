using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Storage;
using EventTracker.Server.Telemetry;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Ingestion;

/// <summary>
/// The one admission path every transport calls (HTTP single and batch, WebSocket <c>track</c>, OTLP): once a
/// transport has read and checked its events, they are charged to the sender's event budget, stored through
/// <see cref="EventIngestor"/>, and a store that cannot take them is turned into a refusal. Each transport writes the
/// <see cref="AdmissionRefusal"/> in its own protocol.
/// </summary>
internal sealed partial class EventAdmission
{
    private static readonly TimeSpan RefusalLineInterval = TimeSpan.FromSeconds(10);

    private readonly EventIngestor _ingestor;
    private readonly EventRateLimit _limits;
    private readonly ServerMetrics _metrics;
    private readonly ILogger<EventAdmission> _logger;
    private readonly Dictionary<RefusalReason, LogThrottle> _refusalLines;

    public EventAdmission(EventIngestor ingestor, EventRateLimit limits, ServerMetrics metrics, TimeProvider time, ILogger<EventAdmission> logger)
    {
        _ingestor = ingestor;
        _limits = limits;
        _metrics = metrics;
        _logger = logger;

        // A client's bad input is its own business and is not logged; the server turning valid events away is the operator's.
        _refusalLines = new[] { RefusalReason.RateLimited, RefusalReason.Shed, RefusalReason.StoreUnavailable }
            .ToDictionary(reason => reason, _ => new LogThrottle(time, RefusalLineInterval));
    }

    /// <summary>The event times accepted now.</summary>
    public EventTimeWindow TimeWindow => _ingestor.TimeWindow;

    /// <summary>
    /// Refuses events that break the rules or could not be read (<paramref name="count"/> of them: 1 for a request
    /// refused before its events were counted); nothing is charged or stored.
    /// </summary>
    public AdmissionRefusal Refuse(IngestTransport transport, ValidationErrors errors, bool tooLarge = false, int count = 1) =>
        Counted(transport, AdmissionRefusal.Invalid(errors, tooLarge), count);

    /// <summary>Admits one checked event from the sender of <paramref name="context"/>.</summary>
    public async Task<Admission<TrackEventResponse>> TrackAsync(
        HttpContext context, IngestTransport transport, string eventName, AIEventPayload payload, TrackHeaders headers, CancellationToken cancellationToken)
    {
        using var activity = ServerActivities.Ingest(transport, 1);
        if (!_limits.TryTakeEvents(context, 1, out var wait))
        {
            return Counted(transport, AdmissionRefusal.RateLimited(wait), 1, activity);
        }

        try
        {
            var (response, replayed) = await _ingestor.TrackAsync(eventName, payload, headers, cancellationToken);
            if (replayed)
            {
                _metrics.Replayed(transport, 1);
            }
            else
            {
                _metrics.Accepted(transport, 1);
            }

            return response;
        }
        catch (StoreUnavailableException e)
        {
            return Counted(transport, AdmissionRefusal.Unavailable(e), 1, activity);
        }
    }

    /// <summary>Admits a checked batch, all of it or none.</summary>
    public async Task<Admission<BatchAdmitted>> TrackBatchAsync(
        HttpContext context, BatchTrackEventRequest batch, TrackHeaders headers, long clientAhead, CancellationToken cancellationToken)
    {
        var count = batch.Events.Count;
        using var activity = ServerActivities.Ingest(IngestTransport.Batch, count);
        _metrics.BatchSize(IngestTransport.Batch, count);
        if (!_limits.TryTakeEvents(context, count, out var wait))
        {
            return Counted(IngestTransport.Batch, AdmissionRefusal.RateLimited(wait), count, activity);
        }

        try
        {
            var (response, replayed, stored) = await _ingestor.TrackBatchAsync(batch, headers, clientAhead, cancellationToken);
            _metrics.Accepted(IngestTransport.Batch, stored);
            _metrics.Replayed(IngestTransport.Batch, count - stored);
            return new BatchAdmitted(response, replayed);
        }
        catch (StoreUnavailableException e)
        {
            return Counted(IngestTransport.Batch, AdmissionRefusal.Unavailable(e), count, activity);
        }
    }

    /// <summary>
    /// Admits checked events that need no answer (OTLP's), stored in chunks of at most <paramref name="chunkSize"/>,
    /// each whole or not at all; null when all were stored.
    /// </summary>
    public async Task<AdmissionRefusal?> StoreAsync(
        HttpContext context, IReadOnlyList<BatchTrackEventItem> events, TrackHeaders headers, int chunkSize, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return null;
        }

        using var activity = ServerActivities.Ingest(IngestTransport.Otlp, events.Count);
        _metrics.BatchSize(IngestTransport.Otlp, events.Count);
        if (!_limits.TryTakeEvents(context, events.Count, out var wait))
        {
            return Counted(IngestTransport.Otlp, AdmissionRefusal.RateLimited(wait), events.Count, activity);
        }

        var left = events.Count;
        try
        {
            foreach (var chunk in events.Chunk(chunkSize))
            {
                var stored = await _ingestor.StoreAsync(chunk, headers, cancellationToken);
                _metrics.Accepted(IngestTransport.Otlp, stored);
                _metrics.Replayed(IngestTransport.Otlp, chunk.Length - stored);
                left -= chunk.Length;
            }

            return null;
        }
        catch (StoreUnavailableException e)
        {
            return Counted(IngestTransport.Otlp, AdmissionRefusal.Unavailable(e), left, activity);
        }
    }

    private AdmissionRefusal Counted(IngestTransport transport, AdmissionRefusal refusal, int count, System.Diagnostics.Activity? activity = null)
    {
        _metrics.Refused(transport, refusal.Reason, count);
        activity.Refused(ServerMetrics.ReasonTag(refusal.Reason));
        if (_refusalLines.TryGetValue(refusal.Reason, out var throttle) && throttle.Count(count, out var total))
        {
            LogRefused(_logger, total, ServerMetrics.ReasonTag(refusal.Reason), RefusalLineInterval.TotalSeconds, string.Join(" ", refusal.Errors.ToDictionary().SelectMany(e => e.Value)));
        }

        return refusal;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Count} events ({Reason}) in up to the last {Seconds} s, the latest with: {Message} Each is counted in eventtracker.events.refused.")]
    private static partial void LogRefused(ILogger logger, long count, string reason, double seconds, string message);
}

/// <summary>An admitted batch's answer, and whether it was a batch seen before.</summary>
internal sealed record BatchAdmitted(BatchTrackEventResponse Response, bool Replayed);
