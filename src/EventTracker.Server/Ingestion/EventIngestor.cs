using System.Diagnostics;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using EventTracker.Server.Telemetry;
using EventTracker.Server.Validation;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Ingestion;

/// <summary>
/// How admitted events are stored (<see cref="EventAdmission"/> decides which are): every one, from any transport, is turned into
/// a <see cref="NewEvent"/>, appended to the store (whose change feed updates analytics and the live streams), and
/// answered with the suggestions for its service, once the analytics include it.
/// </summary>
internal sealed class EventIngestor
{
    private readonly IEventStore _store;
    private readonly SuggestionEngine _suggestions;
    private readonly AnalyticsProjection _projection;
    private readonly PayloadCodec _codec;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxEventAge;
    private readonly TimeSpan _maxFutureSkew;
    private readonly ServerMetrics _metrics;

    public EventIngestor(
        IEventStore store, SuggestionEngine suggestions, AnalyticsProjection projection, PayloadCodec codec, TimeProvider time,
        IOptions<IngestionOptions> ingestion, IOptions<EventStoreOptions> storage, ServerMetrics metrics)
    {
        _metrics = metrics;
        _store = store;
        _suggestions = suggestions;
        _projection = projection;
        _codec = codec;
        _time = time;
        _maxEventAge = storage.Value.MaxAge is { } maxAge && maxAge < ingestion.Value.MaxEventAge ? maxAge : ingestion.Value.MaxEventAge;
        _maxFutureSkew = ingestion.Value.MaxFutureSkew;
    }

    /// <summary>The event times accepted now: from the retention window's start to a little after the server's clock.</summary>
    public EventTimeWindow TimeWindow => EventTimeWindow.Around(_time.GetUtcNow(), _maxEventAge, _maxFutureSkew);

    /// <exception cref="StoreUnavailableException">The store cannot take writes now; nothing was stored.</exception>
    public async Task<(TrackEventResponse Response, bool Replayed)> TrackAsync(string eventName, AIEventPayload payload, TrackHeaders headers, CancellationToken cancellationToken)
    {
        var newEvent = ToNewEvent(eventName, payload, headers, Scoped(headers.EventId, headers.Sender));
        var result = await AppendAsync(newEvent, cancellationToken);
        await IncludeInAnalyticsAsync(result.Record.Sequence, cancellationToken);
        var response = new TrackEventResponse
        {
            Success = true,
            Message = result.Replayed ? "Event already tracked" : "Event tracked successfully",
            Suggestions = _suggestions.ForService(result.Record.ServiceName),
            EventId = EventIds.Format(result.Record.Sequence),
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(result.Record.Timestamp),
        };
        return (response, result.Replayed);
    }

    /// <param name="batch">The validated batch.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="clientAhead">How far the client's clock is ahead of the server's; its events' own times are shifted back by it.</param>
    /// <param name="cancellationToken">Stops waiting for the store; the batch may have been stored.</param>
    /// <exception cref="StoreUnavailableException">The store cannot take writes now; nothing was stored.</exception>
    /// <returns>The answer, whether the batch id was seen before, and how many of its events were stored now.</returns>
    public async Task<(BatchTrackEventResponse Response, bool Replayed, int Stored)> TrackBatchAsync(
        BatchTrackEventRequest batch, TrackHeaders headers, long clientAhead, CancellationToken cancellationToken)
    {
        var batchId = batch.BatchId ?? NewBatchId();
        var events = batch.Events
            .Select(item => ToNewEvent(item.EventName, item.Payload ?? new AIEventPayload(), headers, Scoped(item.EventId, headers.Sender), clientAhead))
            .ToList();
        var result = await AppendBatchAsync(Scoped(batchId, headers.Sender)!, events, cancellationToken);
        if (result.Stored.Count > 0)
        {
            await IncludeInAnalyticsAsync(result.Stored[^1].Sequence, cancellationToken);
        }
        var response = new BatchTrackEventResponse
        {
            Success = true,
            ProcessedCount = result.ProcessedCount,
            Suggestions = _suggestions.ForServices(events.Select(e => e.ServiceName).Distinct()),
            BatchId = batchId,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(result.Timestamp),
        };
        return (response, result.Replayed, result.Stored.Count);
    }

    /// <summary>Stores checked events as one batch (of a generated id) without an answer: no suggestions, no wait for analytics.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot take writes now; nothing was stored.</exception>
    /// <returns>How many were stored now (the others carried ids seen before).</returns>
    public async Task<int> StoreAsync(IReadOnlyList<BatchTrackEventItem> items, TrackHeaders headers, CancellationToken cancellationToken)
    {
        var events = items.Select(item => ToNewEvent(item.EventName, item.Payload ?? new AIEventPayload(), headers, Scoped(item.EventId, headers.Sender))).ToList();
        return (await AppendBatchAsync(Scoped(NewBatchId(), headers.Sender)!, events, cancellationToken)).Stored.Count;
    }

    // Every append is timed (eventtracker.store.append.duration) and traced (eventtracker.store.append) the same way.
    private async Task<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        AppendResult result;
        using (ServerActivities.Append(1))
        {
            result = await _store.AppendAsync(newEvent, cancellationToken);
        }

        _metrics.AppendDuration(Stopwatch.GetElapsedTime(started));
        return result;
    }

    private async Task<BatchAppendResult> AppendBatchAsync(string batchId, List<NewEvent> events, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        BatchAppendResult result;
        using (ServerActivities.Append(events.Count))
        {
            result = await _store.AppendBatchAsync(batchId, events, cancellationToken);
        }

        _metrics.AppendDuration(Stopwatch.GetElapsedTime(started));
        return result;
    }

    private static string NewBatchId() => "batch-" + Guid.CreateVersion7().ToString("N");

    // The answer's suggestions should count the events just stored; but they are stored, so a store that cannot be read
    // right now (a database going down after the commit) gives suggestions without them rather than a refusal a client
    // would retry.
    private async Task IncludeInAnalyticsAsync(long position, CancellationToken cancellationToken)
    {
        try
        {
            await _projection.CatchUpAsync(position, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
        }
    }

    // Identifiers cannot hold control characters, so an anonymous id never looks like a scoped one.
    private static string? Scoped(string? id, string? sender) => id is null || sender is null ? id : sender + "\u001f" + id;

    private NewEvent ToNewEvent(string eventName, AIEventPayload payload, TrackHeaders headers, string? clientEventId, long clientAhead = 0)
    {
        payload.SessionId ??= headers.SessionId;
        payload.CorrelationId ??= headers.CorrelationId;
        return _codec.ToNewEvent(
            eventName, payload, headers.UserId ?? EventValidation.PayloadUserId(payload), clientEventId, EventValidation.PayloadTimestamp(payload) - clientAhead);
    }
}
