using EventTracker.Contracts;
using EventTracker.Server.Otlp.Protocol;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Otlp;

/// <summary>
/// Log records as events: named after the record's event name (or its <c>event.name</c> attribute, else <c>log</c>),
/// <c>serviceName</c> from the resource's <c>service.name</c>, <c>correlationId</c> its trace id, its time (or the
/// time it was observed) as the event's time, and in <c>metadata</c> its message (<c>message</c>, or <c>body</c> when
/// structured), <c>severity</c> and <c>severity_number</c>, span id and attributes.
/// </summary>
internal static class LogRecordMapper
{
    private const string DefaultName = "log";

    // The attributes that become the event's own fields or name, not metadata.
    private static readonly string[] MappedAttributes = ["event.name", "enduser.id", "session.id", "user_agent.original"];

    private static readonly string[] Severities = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

    public static OtlpEvents Map(ExportLogsServiceRequest request, EventTimeWindow window)
    {
        var events = new OtlpEvents(window);
        for (var r = 0; r < request.ResourceLogs.Count; r++)
        {
            var resourceLogs = request.ResourceLogs[r];
            var resource = OtlpResource.Of(resourceLogs.Resource);
            for (var s = 0; s < resourceLogs.ScopeLogs.Count; s++)
            {
                var scopeLogs = resourceLogs.ScopeLogs[s];
                for (var i = 0; i < scopeLogs.LogRecords.Count; i++)
                {
                    Add(events, $"resourceLogs[{r}].scopeLogs[{s}].logRecords[{i}]", scopeLogs.LogRecords[i], resource, scopeLogs.Scope);
                }
            }
        }

        return events;
    }

    private static void Add(OtlpEvents events, string path, LogRecord record, OtlpResource resource, InstrumentationScope? scope)
    {
        // A record outside any trace has no ids (some exporters send zeros); ids of the wrong length are invalid.
        var ids = new ValidationErrors();
        var traceId = OtlpValues.Id(record.TraceId, OtlpValues.TraceIdLength, required: false, "traceId", ids);
        var spanId = OtlpValues.Id(record.SpanId, OtlpValues.SpanIdLength, required: false, "spanId", ids);
        if (ids.Any)
        {
            events.Reject(path, ids);
            return;
        }

        var attributes = record.Attributes;
        var metadata = OtlpValues.ToJson(attributes, MappedAttributes);
        if (record.Body is { } body && OtlpValues.ToJson(body) is { } bodyJson)
        {
            metadata[bodyJson is System.Text.Json.Nodes.JsonValue ? "message" : "body"] = bodyJson;
        }

        if (Severity(record) is { } severity)
        {
            metadata["severity"] = severity;
        }

        if (record.SeverityNumber > 0)
        {
            metadata["severity_number"] = record.SeverityNumber;
        }

        if (spanId is not null)
        {
            metadata["span_id"] = spanId;
        }

        resource.Describe(metadata, scope);
        var payload = new AIEventPayload
        {
            ServiceName = resource.ServiceName,
            CorrelationId = traceId,
            SessionId = OtlpValues.Text(attributes, "session.id"),
            UserAgent = OtlpValues.Text(attributes, "user_agent.original"),
            Metadata = metadata,
        };

        var name = record.EventName is { Length: > 0 } eventName ? eventName : OtlpValues.Text(attributes, "event.name") ?? DefaultName;
        var time = OtlpValues.Milliseconds(record.TimeUnixNano) ?? OtlpValues.Milliseconds(record.ObservedTimeUnixNano);
        events.Add(path, name, payload, eventId: null, time, OtlpValues.Text(attributes, "enduser.id"));
    }

    // The record's own severity text, else the name of its severity number's range.
    private static string? Severity(LogRecord record) =>
        record.SeverityText is { Length: > 0 } text ? text
        : record.SeverityNumber is >= 1 and <= 24 ? Severities[(record.SeverityNumber - 1) / 4]
        : null;
}
