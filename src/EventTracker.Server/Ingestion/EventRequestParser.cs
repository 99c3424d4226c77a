using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Ingestion;

/// <summary>Parses and validates the bodies of the ingestion endpoints into <see cref="Storage.NewEvent"/>s.</summary>
internal static class EventRequestParser
{
    // A client's clock is corrected only when it is clearly off: below this, the difference is mostly network delay,
    // and correcting by it would reorder events of one client that arrive in different batches.
    private const long ClockCorrectionThresholdMs = 10_000;

    /// <summary>The payload of <c>POST /api/events/track/{eventName}</c>; an empty body or <c>null</c> is an empty payload.</summary>
    public static AIEventPayload? ParsePayload(byte[] body, EventTimeWindow window, ValidationErrors errors)
    {
        if (body.Length == 0)
        {
            return new AIEventPayload();
        }

        if (!JsonText.Validate(body, errors) || !IsObjectOrNull(body, "body", errors))
        {
            return null;
        }

        var payload = Deserialize(body, EventTrackerJsonContext.Default.AIEventPayload, errors);
        if (errors.Any)
        {
            return null;
        }

        payload ??= new AIEventPayload();
        EventValidation.ValidatePayload(payload, string.Empty, window, errors);
        return errors.Any ? null : payload;
    }

    /// <summary>The body of <c>POST /api/events/track/batch</c>, with every item checked; null if anything is wrong.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="maxEvents">The most events a batch may hold.</param>
    /// <param name="window">The event times accepted, by the server's clock.</param>
    /// <param name="errors">Where problems are reported.</param>
    /// <param name="tooMany">Whether the batch was refused for holding too many events.</param>
    /// <param name="clientAhead">How far the client's clock is ahead of the server's, from the batch's <c>sentAt</c> (0 without).</param>
    public static BatchTrackEventRequest? ParseBatch(
        byte[] body, int maxEvents, EventTimeWindow window, ValidationErrors errors, out bool tooMany, out long clientAhead)
    {
        tooMany = false;
        clientAhead = 0;
        if (body.Length == 0)
        {
            errors.Add("events", "The batch must contain at least one event.");
            return null;
        }

        if (!JsonText.Validate(body, errors) || !IsObjectOrNull(body, "body", errors))
        {
            return null;
        }

        var batch = Deserialize(body, EventTrackerJsonContext.Default.BatchTrackEventRequest, errors);
        if (errors.Any)
        {
            return null;
        }

        if (batch?.Events is not { Count: > 0 } events)
        {
            errors.Add("events", "The batch must contain at least one event.");
            return null;
        }

        if (events.Count > maxEvents)
        {
            tooMany = true;
            errors.Add("events", $"A batch holds at most {maxEvents} events; this one has {events.Count}.");
            return null;
        }

        EventValidation.ValidateIdentifier(batch.BatchId, "batchId", errors);
        if (batch.SentAt is { } sentAt)
        {
            if (sentAt < 0 || sentAt > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            {
                errors.Add("sentAt", "Must be the client's clock when sending, in milliseconds since the Unix epoch.");
            }
            else if (Math.Abs(sentAt - window.Now) > ClockCorrectionThresholdMs)
            {
                clientAhead = sentAt - window.Now;
                window = window.ForClientAhead(clientAhead);
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            var item = events[i];
            if (item is null)
            {
                errors.Add($"events[{i}]", "Must be an event object.");
                continue;
            }

            EventValidation.ValidateName(item.EventName, $"events[{i}].eventName", errors);
            EventValidation.ValidateIdentifier(item.EventId, $"events[{i}].eventId", errors);
            if (item.Payload is not null)
            {
                EventValidation.ValidatePayload(item.Payload, $"events[{i}].payload.", window, errors);
            }
        }

        return errors.Any ? null : batch;
    }

    private static bool IsObjectOrNull(byte[] body, string field, ValidationErrors errors)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null)
        {
            return true;
        }

        errors.Add(field, "The body must be a JSON object.");
        return false;
    }

    private static T? Deserialize<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, ValidationErrors errors)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo);
        }
        catch (JsonException e)
        {
            JsonErrors.Add(e, errors);
            return null;
        }
    }
}
