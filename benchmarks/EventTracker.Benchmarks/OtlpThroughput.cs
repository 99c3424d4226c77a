using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using EventTracker.Server.Otlp.Protocol;
using EventTracker.Testing;
using Google.Protobuf;

namespace EventTracker.Benchmarks;

/// <summary>
/// OTLP/HTTP span ingestion against its baseline in the same run: the same spans, as OTLP protobuf exports of 512
/// spans to <c>/v1/traces</c> and as JSON batches of 512 events (the same fields, ids and times) to
/// <c>/api/events/track/batch</c>, each to a fresh memory-only server process, 4 senders; measured batch / OTLP / batch.
/// </summary>
internal static class OtlpThroughput
{
    private const int SpansPerRequest = 512;
    private const int Senders = 4;
    private static readonly long Base = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 300_000;

    public static async Task RunAsync(int spans)
    {
        var requests = spans / SpansPerRequest;
        var otlp = Enumerable.Range(0, requests).Select(r => Protobuf(r)).ToList();
        var batches = Enumerable.Range(0, requests).Select(r => Json(r)).ToList();
        Console.WriteLine($"{requests * SpansPerRequest:N0} spans in {requests} requests; OTLP body {otlp[0].Length / 1024.0:0.0} KiB, JSON batch body {batches[0].Length / 1024.0:0.0} KiB");

        var first = await MeasureAsync(batches, "/api/events/track/batch", "application/json");
        var measured = await MeasureAsync(otlp, "/v1/traces", "application/x-protobuf");
        var second = await MeasureAsync(batches, "/api/events/track/batch", "application/json");
        var baseline = (first + second) / 2;
        Console.WriteLine($"JSON batches:   {first:N0} and {second:N0} events/s");
        Console.WriteLine($"OTLP protobuf:  {measured:N0} spans/s");
        Console.WriteLine($"ratio:          {measured / baseline:0.00} (OTLP / mean of JSON batches)");
    }

    private static async Task<double> MeasureAsync(List<byte[]> bodies, string path, string contentType)
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["EventTracker__Store__DataDirectory"] = string.Empty });
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            using var client = server.CreateClient();
            int index;
            while ((index = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var content = new ByteArrayContent(bodies[index]);
                content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                using var response = await client.PostAsync(path, content);
                response.EnsureSuccessStatusCode();
            }
        })));
        return bodies.Count * SpansPerRequest / clock.Elapsed.TotalSeconds;
    }

    private static byte[] Protobuf(int request)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        for (var i = 0; i < SpansPerRequest; i++)
        {
            var (traceId, spanId, start, status, ms) = Fields(request, i);
            var span = new Span
            {
                Name = "GET /orders/{id}",
                Kind = 2,
                TraceId = ByteString.CopyFrom(Convert.FromHexString(traceId)),
                SpanId = ByteString.CopyFrom(Convert.FromHexString(spanId)),
                StartTimeUnixNano = (ulong)start * 1_000_000,
                EndTimeUnixNano = ((ulong)start * 1_000_000) + (ulong)(ms * 1_000_000),
            };
            span.Attributes.Add(Attribute("http.request.method", new AnyValue { StringValue = "GET" }));
            span.Attributes.Add(Attribute("http.route", new AnyValue { StringValue = "/orders/{id}" }));
            span.Attributes.Add(Attribute("http.response.status_code", new AnyValue { IntValue = status }));
            scope.Spans.Add(span);
        }

        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(Attribute("service.name", new AnyValue { StringValue = "orders" }));
        resource.ScopeSpans.Add(scope);
        var export = new ExportTraceServiceRequest();
        export.ResourceSpans.Add(resource);
        return export.ToByteArray();
    }

    private static byte[] Json(int request)
    {
        var body = new StringBuilder("""{"events":[""");
        for (var i = 0; i < SpansPerRequest; i++)
        {
            var (traceId, spanId, start, status, ms) = Fields(request, i);
            body.Append(CultureInfo.InvariantCulture, $$$$"""{"eventName":"GET /orders/{id}","eventId":"{{{{traceId}}}}{{{{spanId}}}}","payload":{"serviceName":"orders","statusCode":{{{{status}}}},"responseTimeMs":{{{{ms}}}},"correlationId":"{{{{traceId}}}}","timestamp":{{{{start}}}},"metadata":{"http.request.method":"GET","http.route":"/orders/{id}","span_id":"{{{{spanId}}}}","span_kind":"server","otel.scope.name":"Microsoft.AspNetCore"}}}""");
            body.Append(i < SpansPerRequest - 1 ? "," : "]}");
        }

        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private static (string TraceId, string SpanId, long Start, int Status, double Ms) Fields(int request, int index)
    {
        var n = (request * SpansPerRequest) + index;
        return (
            n.ToString("x32", CultureInfo.InvariantCulture),
            (n + 1).ToString("x16", CultureInfo.InvariantCulture),
            Base + n,
            n % 50 == 0 ? 503 : 200,
            5 + (n % 200));
    }

    private static KeyValue Attribute(string key, AnyValue value) => new() { Key = key, Value = value };
}
