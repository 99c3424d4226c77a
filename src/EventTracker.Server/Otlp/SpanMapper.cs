using EventTracker.Contracts;
using EventTracker.Server.Otlp.Protocol;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Otlp;

/// <summary>
/// Spans as events: named after the span, <c>serviceName</c> from the resource's <c>service.name</c>,
/// <c>responseTimeMs</c> its duration, <c>statusCode</c> its <c>http.response.status_code</c> (500 when it has none
/// and the span's status is Error), <c>correlationId</c> its trace id, its start as the event's time, and its other
/// attributes, ids, kind and status in <c>metadata</c>. Trace and span id together are the event id, so a retried
/// export stores each span once; a span without valid ones (all zeros, or not 16 and 8 bytes) is rejected.
/// </summary>
internal static class SpanMapper
{
    private const int StatusError = 2;
    private const int ErrorStatusCode = 500;

    // The attributes that become the event's own fields, not metadata.
    private static readonly string[] MappedAttributes = ["enduser.id", "session.id", "user_agent.original"];

    private static readonly string[] Kinds = ["unspecified", "internal", "server", "client", "producer", "consumer"];

    public static OtlpEvents Map(ExportTraceServiceRequest request, EventTimeWindow window)
    {
        var events = new OtlpEvents(window);
        for (var r = 0; r < request.ResourceSpans.Count; r++)
        {
            var resourceSpans = request.ResourceSpans[r];
            var resource = OtlpResource.Of(resourceSpans.Resource);
            for (var s = 0; s < resourceSpans.ScopeSpans.Count; s++)
            {
                var scopeSpans = resourceSpans.ScopeSpans[s];
                for (var i = 0; i < scopeSpans.Spans.Count; i++)
                {
                    Add(events, $"resourceSpans[{r}].scopeSpans[{s}].spans[{i}]", scopeSpans.Spans[i], resource, scopeSpans.Scope);
                }
            }
        }

        return events;
    }

    private static void Add(OtlpEvents events, string path, Span span, OtlpResource resource, InstrumentationScope? scope)
    {
        var ids = new ValidationErrors();
        var traceId = OtlpValues.Id(span.TraceId, OtlpValues.TraceIdLength, required: true, "traceId", ids);
        var spanId = OtlpValues.Id(span.SpanId, OtlpValues.SpanIdLength, required: true, "spanId", ids);
        var parent = OtlpValues.Id(span.ParentSpanId, OtlpValues.SpanIdLength, required: false, "parentSpanId", ids);
        if (ids.Any)
        {
            events.Reject(path, ids);
            return;
        }

        var attributes = span.Attributes;
        var metadata = OtlpValues.ToJson(attributes, MappedAttributes);
        metadata["span_id"] = spanId;
        if (parent is not null)
        {
            metadata["parent_span_id"] = parent;
        }

        metadata["span_kind"] = span.Kind >= 0 && span.Kind < Kinds.Length ? Kinds[span.Kind] : span.Kind.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (span.Status is { } status)
        {
            if (status.Code is 1 or StatusError)
            {
                metadata["otel.status_code"] = status.Code == StatusError ? "ERROR" : "OK";
            }

            if (status.Message.Length > 0)
            {
                metadata["otel.status_description"] = status.Message;
            }
        }

        resource.Describe(metadata, scope);
        var statusCode = OtlpValues.Integer(attributes, "http.response.status_code") ?? OtlpValues.Integer(attributes, "http.status_code");
        var payload = new AIEventPayload
        {
            ServiceName = resource.ServiceName,
            CorrelationId = traceId,
            SessionId = OtlpValues.Text(attributes, "session.id"),
            UserAgent = OtlpValues.Text(attributes, "user_agent.original"),
            StatusCode = statusCode is { } code ? (int)Math.Clamp(code, -1, int.MaxValue) : span.Status?.Code == StatusError ? ErrorStatusCode : null,
            ResponseTimeMs = span.StartTimeUnixNano > 0 && span.EndTimeUnixNano >= span.StartTimeUnixNano
                ? (span.EndTimeUnixNano - span.StartTimeUnixNano) / 1_000_000.0
                : null,
            Metadata = metadata,
        };

        events.Add(path, span.Name, payload, traceId + spanId, OtlpValues.Milliseconds(span.StartTimeUnixNano), OtlpValues.Text(attributes, "enduser.id"));
    }
}
