using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;

namespace EventTracker.Server.Ingestion;

/// <summary>
/// The one ingestion path: every validated event, from any endpoint (HTTP single, batch, WebSocket), is turned into
/// a <see cref="NewEvent"/>, appended to the store, published once to the live streams, and answered with the
/// suggestions for its service.
/// </summary>
internal sealed class EventIngestor
{
    private readonly IEventStore _store;
    private readonly SuggestionEngine _suggestions;
    private readonly PayloadCodec _codec;
    private readonly EventBroadcaster _broadcaster;

    public EventIngestor(IEventStore store, SuggestionEngine suggestions, PayloadCodec codec, EventBroadcaster broadcaster)
    {
        _store = store;
        _suggestions = suggestions;
        _codec = codec;
        _broadcaster = broadcaster;
    }

    public TrackEventResponse Track(string eventName, AIEventPayload payload, TrackHeaders headers)
    {
        var result = _store.Append(ToNewEvent(eventName, payload, headers, headers.EventId));
        if (!result.Replayed)
        {
            _broadcaster.PublishEvents([result.Record]);
        }

        return new TrackEventResponse
        {
            Success = true,
            Message = result.Replayed ? "Event already tracked" : "Event tracked successfully",
            Suggestions = _suggestions.ForService(result.Record.ServiceName),
            EventId = _store.FormatId(result.Record.Sequence),
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(result.Record.Timestamp),
        };
    }

    public (BatchTrackEventResponse Response, bool Replayed) TrackBatch(BatchTrackEventRequest batch, TrackHeaders headers)
    {
        var batchId = batch.BatchId ?? "batch-" + Guid.CreateVersion7().ToString("N");
        var events = batch.Events
            .Select(item => ToNewEvent(item.EventName, item.Payload ?? new AIEventPayload(), headers, item.EventId))
            .ToList();
        var result = _store.AppendBatch(batchId, events);
        _broadcaster.PublishEvents(result.Stored);
        var response = new BatchTrackEventResponse
        {
            Success = true,
            ProcessedCount = result.ProcessedCount,
            Suggestions = _suggestions.ForServices(events.Select(e => e.ServiceName).Distinct()),
            BatchId = batchId,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(result.Timestamp),
        };
        return (response, result.Replayed);
    }

    private NewEvent ToNewEvent(string eventName, AIEventPayload payload, TrackHeaders headers, string? clientEventId)
    {
        payload.SessionId ??= headers.SessionId;
        payload.CorrelationId ??= headers.CorrelationId;
        return _codec.ToNewEvent(eventName, payload, headers.UserId ?? EventValidation.PayloadUserId(payload), clientEventId);
    }
}
