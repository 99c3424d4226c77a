using System.Diagnostics;
using EventTracker.Contracts;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventTracker.Server.Tests.Otlp;

/// <summary>An app instrumented with the OpenTelemetry SDK exports spans and logs (OTLP/HTTP protobuf) to the server over a real socket.</summary>
public sealed partial class OpenTelemetryExporterTests : IDisposable
{
    // On Kestrel: the exporter sends with HttpClient's synchronous Send, which the in-memory test server refuses.
    private readonly TestServerFactory _factory = new(kestrel: true);
    private readonly HttpClient _client;

    public OpenTelemetryExporterTests() => _client = new HttpClient { BaseAddress = _factory.ClientOptions.BaseAddress };

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task A_span_is_stored_as_an_event_with_the_documented_mapping()
    {
        using var source = new ActivitySource("Checkout.Tests");
        string traceId, spanId, parentId;
        var started = DateTimeOffset.UtcNow.AddSeconds(-2);
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("checkout", serviceVersion: "1.4.2"))
            .AddSource(source.Name)
            .AddOtlpExporter(options => Configure(options, EventTrackerRoutes.OtlpTraces))
            .Build())
        {
            using var parent = source.StartActivity("checkout-flow", ActivityKind.Internal)!;
            using (var span = source.StartActivity("POST /orders", ActivityKind.Server, parent.Context, startTime: started)!)
            {
                span.SetTag("http.request.method", "POST");
                span.SetTag("http.response.status_code", 503);
                span.SetTag("enduser.id", "user-7");
                span.SetStatus(ActivityStatusCode.Error, "payment provider down");
                span.SetEndTime(started.AddMilliseconds(250).UtcDateTime);
                (traceId, spanId, parentId) = (span.TraceId.ToHexString(), span.SpanId.ToHexString(), parent.SpanId.ToHexString());
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        var stored = Assert.Single((await _client.GetEventsAsync("?eventName=" + Uri.EscapeDataString("POST /orders"))).Events);
        Assert.Equal("checkout", stored.ServiceName);
        Assert.Equal(503, stored.Payload.StatusCode);
        Assert.Equal(250, stored.Payload.ResponseTimeMs!.Value, precision: 3);
        Assert.Equal(traceId, stored.Payload.CorrelationId);
        Assert.Equal("user-7", stored.UserId);
        Assert.Equal(started.ToUnixTimeMilliseconds(), stored.Timestamp);
        var metadata = stored.Payload.Metadata!;
        Assert.Equal("POST", (string?)metadata["http.request.method"]);
        Assert.Equal(spanId, (string?)metadata["span_id"]);
        Assert.Equal(parentId, (string?)metadata["parent_span_id"]);
        Assert.Equal("server", (string?)metadata["span_kind"]);
        Assert.Equal("ERROR", (string?)metadata["otel.status_code"]);
        Assert.Equal("payment provider down", (string?)metadata["otel.status_description"]);
        Assert.Equal("Checkout.Tests", (string?)metadata["otel.scope.name"]);
        Assert.Equal("1.4.2", (string?)metadata["resource"]!["service.version"]);
        Assert.False(metadata.ContainsKey("enduser.id")); // it is the event's user, not metadata

        // The parent span is an event of the same trace.
        var flow = Assert.Single((await _client.GetEventsAsync("?eventName=checkout-flow")).Events);
        Assert.Equal(traceId, flow.Payload.CorrelationId);
    }

    [Fact]
    public async Task A_log_record_is_stored_as_an_event_with_its_message_severity_and_trace()
    {
        using var source = new ActivitySource("Checkout.Logs");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        string traceId, spanId;
        using (var logging = LoggerFactory.Create(builder => builder.AddOpenTelemetry(options =>
        {
            options.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("payments"));
            options.IncludeFormattedMessage = true;
            options.AddOtlpExporter((exporter, processor) =>
            {
                Configure(exporter, EventTrackerRoutes.OtlpLogs);
                processor.ExportProcessorType = ExportProcessorType.Simple;
            });
        })))
        {
            var logger = logging.CreateLogger("Payments.Charges");
            using var activity = source.StartActivity("charge")!;
            (traceId, spanId) = (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
            LogDeclined(logger, 42, "acme");
        }

        var stored = Assert.Single((await _client.GetEventsAsync("?serviceName=payments")).Events);
        Assert.Equal("payment-declined", stored.Name); // the log event's id name, which the exporter sends as the record's event name
        Assert.Equal(traceId, stored.Payload.CorrelationId);
        var metadata = stored.Payload.Metadata!;
        Assert.Equal("Payment 42 declined by acme", (string?)metadata["message"]);
        Assert.Equal("Warning", (string?)metadata["severity"]);
        Assert.Equal(13, (int?)metadata["severity_number"]);
        Assert.Equal(spanId, (string?)metadata["span_id"]);
        Assert.Equal(42, (long?)metadata["OrderId"]);
        Assert.Equal("acme", (string?)metadata["Provider"]);
        Assert.Equal("Payments.Charges", (string?)metadata["otel.scope.name"]);
    }

    private void Configure(OtlpExporterOptions options, string path)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(_factory.ClientOptions.BaseAddress, path);
                options.ExportProcessorType = ExportProcessorType.Simple;
    }

    [LoggerMessage(EventId = 7, EventName = "payment-declined", Level = LogLevel.Warning, Message = "Payment {OrderId} declined by {Provider}")]
    private static partial void LogDeclined(ILogger logger, int orderId, string provider);
}
