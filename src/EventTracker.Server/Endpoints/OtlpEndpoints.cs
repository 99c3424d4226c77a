using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Otlp;
using EventTracker.Server.Otlp.Protocol;

namespace EventTracker.Server.Endpoints;

/// <summary>OpenTelemetry's OTLP/HTTP export: <c>POST /v1/traces</c> and <c>POST /v1/logs</c>.</summary>
internal static class OtlpEndpoints
{
    public static void MapOtlpEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("OpenTelemetry").RequireAuthorization(Scopes.Ingest).WithMetadata(OtlpRefusalFormat.Instance);

        group.MapPost(EventTrackerRoutes.OtlpTraces, (HttpContext context, OtlpIngestion otlp, CancellationToken cancellationToken) =>
                otlp.ExportAsync(context, "traces", ExportTraceServiceRequest.Parser, SpanMapper.Map, Traces, cancellationToken))
            .WithName("ExportTraces")
            .WithSummary("OTLP/HTTP trace export: each span is stored as an event (see the README for the mapping).")
            .WithDescription("Body: an ExportTraceServiceRequest as application/x-protobuf or application/json, optionally gzip-compressed.");

        group.MapPost(EventTrackerRoutes.OtlpLogs, (HttpContext context, OtlpIngestion otlp, CancellationToken cancellationToken) =>
                otlp.ExportAsync(context, "logs", ExportLogsServiceRequest.Parser, LogRecordMapper.Map, Logs, cancellationToken))
            .WithName("ExportLogs")
            .WithSummary("OTLP/HTTP log export: each log record is stored as an event (see the README for the mapping).")
            .WithDescription("Body: an ExportLogsServiceRequest as application/x-protobuf or application/json, optionally gzip-compressed.");
    }

    private static ExportTraceServiceResponse Traces(OtlpEvents events) => new()
    {
        PartialSuccess = events.Rejected == 0 ? null : new ExportTracePartialSuccess { RejectedSpans = events.Rejected, ErrorMessage = events.ErrorMessage },
    };

    private static ExportLogsServiceResponse Logs(OtlpEvents events) => new()
    {
        PartialSuccess = events.Rejected == 0 ? null : new ExportLogsPartialSuccess { RejectedLogRecords = events.Rejected, ErrorMessage = events.ErrorMessage },
    };
}
