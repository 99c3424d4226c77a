using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// Writes queued events as batch items for the one sending loop, reusing its buffers from event to event, so the loop
/// allocates little more than each item's bytes (and the garbage it would make does not pause the callers of Track).
/// </summary>
internal sealed class BatchItemWriter : IDisposable
{
    private readonly MemoryStream _item = new(512);
    private readonly MemoryStream _payload = new(512);
    private readonly Utf8JsonWriter _itemWriter;
    private readonly Utf8JsonWriter _payloadWriter;
    private readonly string? _defaultService;

    /// <param name="defaultService">Stamped as <c>serviceName</c> on events whose payload has none.</param>
    public BatchItemWriter(string? defaultService)
    {
        _defaultService = defaultService;
        _itemWriter = new Utf8JsonWriter(_item);
        _payloadWriter = new Utf8JsonWriter(_payload);
    }

    /// <summary>
    /// The event as a batch item, with what the tracker adds to its payload — the default service, the trace it was
    /// tracked in, the user, when it happened — unless the payload says otherwise. The caller's payload is never written
    /// to: the additions are written beside its own fields.
    /// </summary>
    public byte[] Write(in QueuedEvent queued)
    {
        var payload = queued.Payload;
        var extra = payload?.AdditionalProperties;
        var ownFields = OwnFields(payload, dropUserId: queued.UserId is not null && extra?.ContainsKey("userId") == true);

        _item.SetLength(0);
        _itemWriter.Reset(_item);
        _itemWriter.WriteStartObject();
        _itemWriter.WriteString("eventName", queued.Name);
        _itemWriter.WriteString("eventId", EventTrackerClient.NewId());
        _itemWriter.WritePropertyName("payload");
        _itemWriter.WriteStartObject();
        var added = false;
        if (payload?.ServiceName is null && _defaultService is not null)
        {
            _itemWriter.WriteString("serviceName", _defaultService);
            added = true;
        }

        // When it happened, not when the batch went out; and in the trace it happened in, unless the caller said otherwise.
        if (payload?.CorrelationId is null && queued.TraceId != default)
        {
            _itemWriter.WriteString("correlationId", queued.TraceId.ToHexString());
            added = true;
        }

        if (extra?.ContainsKey("timestamp") != true)
        {
            _itemWriter.WriteNumber("timestamp", queued.TrackedAt);
            added = true;
        }

        // The user passed to Track wins over a userId in the payload, which is then left out.
        if (queued.UserId is { } userId)
        {
            _itemWriter.WriteString("userId", userId);
            added = true;
        }

        _itemWriter.Flush();
        if (ownFields.Count > 2)
        {
            if (added)
            {
                _item.WriteByte((byte)',');
            }

            _item.Write(ownFields.Array!, ownFields.Offset + 1, ownFields.Count - 2); // the payload's own fields, without its braces
        }

        _itemWriter.WriteEndObject();
        _itemWriter.WriteEndObject();
        _itemWriter.Flush();
        return _item.ToArray();
    }

    public void Dispose()
    {
        _itemWriter.Dispose();
        _payloadWriter.Dispose();
        _item.Dispose();
        _payload.Dispose();
    }

    // The payload's JSON, in the reused buffer; without its userId when the tracked user replaces it.
    private ArraySegment<byte> OwnFields(AIEventPayload? payload, bool dropUserId)
    {
        _payload.SetLength(0);
        _payloadWriter.Reset(_payload);
        if (payload is null)
        {
            _payloadWriter.WriteStartObject();
            _payloadWriter.WriteEndObject();
        }
        else
        {
            if (dropUserId)
            {
                payload = payload.Clone();
                payload.AdditionalProperties!.Remove("userId");
            }

            JsonSerializer.Serialize(_payloadWriter, payload, EventTrackerJsonContext.Default.AIEventPayload);
        }

        _payloadWriter.Flush();
        return new ArraySegment<byte>(_payload.GetBuffer(), 0, (int)_payload.Length);
    }
}
