using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using EventTracker.Server.Otlp.Protocol;
using Google.Protobuf;

namespace EventTracker.Server.Tests.Otlp;

/// <summary>OTLP/HTTP as the specification describes it: both encodings, compression, partial success and refusals.</summary>
public sealed class OtlpHttpTests : IDisposable
{
    private const string Protobuf = "application/x-protobuf";
    private const string TraceId = "5b8efff798038103d269b633813fc60c";
    private const string ReadKey = "otlp-read-only-key-0123456789";

    private readonly TestServerFactory _factory = new();
    private readonly HttpClient _client;

    public OtlpHttpTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_otlp_json_trace_export_is_stored_with_hex_ids_and_typed_attributes()
    {
        var start = Nanoseconds(DateTimeOffset.UtcNow.AddSeconds(-1));
        var body = $$$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"catalog"}}]},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[{
                "traceId":"{{{{TraceId}}}}","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
                "name":"GET /items","kind":2,"startTimeUnixNano":"{{{{start}}}}","endTimeUnixNano":"{{{{start + 120_000_000}}}}",
                "attributes":[{"key":"http.response.status_code","value":{"intValue":"404"}},
                  {"key":"items","value":{"arrayValue":{"values":[{"intValue":"1"},{"doubleValue":2.5},{"boolValue":true}]}}},
                  {"key":"cart","value":{"kvlistValue":{"values":[{"key":"size","value":{"intValue":3}}]}}}],
                "events":[{"name":"ignored"}],"status":{}}]}]}]}
            """;

        using var response = await PostAsync("/v1/traces", Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject()); // no partial success: everything was taken
        var stored = Assert.Single((await _client.GetEventsAsync("?serviceName=catalog")).Events);
        Assert.Equal("GET /items", stored.Name);
        Assert.Equal(TraceId, stored.Payload.CorrelationId);
        Assert.Equal(404, stored.Payload.StatusCode);
        Assert.Equal(120, stored.Payload.ResponseTimeMs!.Value, precision: 3);
        Assert.Equal((long)(start / 1_000_000), stored.Timestamp);
        var metadata = stored.Payload.Metadata!;
        Assert.Equal("eee19b7ec3c1b174", (string?)metadata["span_id"]);
        Assert.Equal("eee19b7ec3c1b173", (string?)metadata["parent_span_id"]);
        Assert.Equal("""[1,2.5,true]""", metadata["items"]!.ToJsonString());
        Assert.Equal(3, (long?)metadata["cart"]!["size"]);
        Assert.False(metadata.ContainsKey("otel.status_code")); // unset status
    }

    [Fact]
    public async Task An_otlp_json_log_export_keeps_message_severity_trace_and_a_structured_body()
    {
        var now = Nanoseconds(DateTimeOffset.UtcNow);
        var body = $$$$"""
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing"}}]},
              "scopeLogs":[{"scope":{"name":"Billing.Jobs"},"logRecords":[
                {"timeUnixNano":"{{{{now}}}}","severityNumber":17,"body":{"stringValue":"invoice run failed"},
                 "traceId":"{{{{TraceId}}}}","spanId":"eee19b7ec3c1b174","attributes":[{"key":"enduser.id","value":{"stringValue":"u-9"}}]},
                {"observedTimeUnixNano":"{{{{now}}}}","severityText":"Information","body":{"kvlistValue":{"values":[{"key":"invoices","value":{"intValue":"12"}}]}},
                 "attributes":[{"key":"event.name","value":{"stringValue":"invoice-run"}}]}]}]}]}
            """;

        using var response = await PostAsync("/v1/logs", Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await _client.GetEventsAsync("?serviceName=billing")).Events;
        var failed = Assert.Single(events, e => e.Name == "log");
        Assert.Equal("invoice run failed", (string?)failed.Payload.Metadata!["message"]);
        Assert.Equal("ERROR", (string?)failed.Payload.Metadata["severity"]);
        Assert.Equal(TraceId, failed.Payload.CorrelationId);
        Assert.Equal("u-9", failed.UserId);
        var run = Assert.Single(events, e => e.Name == "invoice-run");
        Assert.Equal(12, (long?)run.Payload.Metadata!["body"]!["invoices"]);
        Assert.Equal("Information", (string?)run.Payload.Metadata["severity"]);
    }

    [Fact]
    public async Task A_gzip_compressed_protobuf_export_is_stored()
    {
        var request = Traces(Enumerable.Range(0, 50).Select(i => Span($"compressed-{i}")).ToArray());

        using var response = await PostAsync("/v1/traces", Gzip(request.ToByteArray()), Protobuf, "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        Assert.Null(ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess);
        Assert.Equal(50, (await _client.GetEventsAsync("?serviceName=otlp-test&limit=1000")).Filtered);
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused_before_it_is_inflated_with_a_status_message()
    {
        var huge = new Span { Name = "bomb", TraceId = Id(16, 1), SpanId = Id(8, 1), StartTimeUnixNano = Nanoseconds(DateTimeOffset.UtcNow) };
        huge.Attributes.Add(new KeyValue { Key = "padding", Value = new AnyValue { StringValue = new string(' ', 64 * 1024 * 1024) } });
        var compressed = Gzip(Traces(huge).ToByteArray());

        using var response = await PostAsync("/v1/traces", compressed, Protobuf, "gzip");

        Assert.True(compressed.Length < 1024 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var status = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(8, status.Code); // RESOURCE_EXHAUSTED
        Assert.Contains("limit", status.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await _client.GetEventsAsync("?eventName=bomb")).Filtered);
    }

    [Fact]
    public async Task Records_that_break_the_event_rules_are_rejected_alone_as_a_partial_success()
    {
        var tooOld = Span("too-old");
        tooOld.StartTimeUnixNano = Nanoseconds(DateTimeOffset.UtcNow.AddDays(-400));
        var request = Traces(Span(string.Empty), Span("kept"), tooOld, Span(new string('n', 300)));

        using var response = await PostAsync("/v1/traces", request.ToByteArray(), Protobuf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partial = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess;
        Assert.Equal(3, partial.RejectedSpans);
        Assert.Contains("resourceSpans[0].scopeSpans[0].spans[0].name: The event name is required.", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("resourceSpans[0].scopeSpans[0].spans[2].timestamp", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("resourceSpans[0].scopeSpans[0].spans[3].name", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["kept"], (await _client.GetEventsAsync("?serviceName=otlp-test")).Events.Select(e => e.Name));
    }

    [Fact]
    public async Task Spans_with_invalid_ids_are_rejected_alone_naming_the_id()
    {
        var zeroTrace = Span("zero-trace");
        zeroTrace.TraceId = ByteString.CopyFrom(new byte[16]);
        var shortSpan = Span("short-span");
        shortSpan.SpanId = ByteString.CopyFrom(1, 2, 3);
        var noSpan = Span("no-span");
        noSpan.SpanId = ByteString.Empty;
        var longParent = Span("long-parent");
        longParent.ParentSpanId = ByteString.CopyFrom(new byte[16] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        var zeroParent = Span("zero-parent-is-a-root");
        zeroParent.ParentSpanId = ByteString.CopyFrom(new byte[8]);

        using var response = await PostAsync("/v1/traces", Traces(zeroTrace, shortSpan, Span("kept"), noSpan, longParent, zeroParent).ToByteArray(), Protobuf);

        var partial = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess;
        Assert.Equal(4, partial.RejectedSpans);
        Assert.Contains("spans[0].traceId: Must not be all zeros", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("spans[1].spanId: Must be 8 bytes (16 hex digits), not 3.", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("spans[3].spanId: Is required", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("spans[4].parentSpanId: Must be 8 bytes", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["kept", "zero-parent-is-a-root"], (await _client.GetEventsAsync("?serviceName=otlp-test")).Events.Select(e => e.Name).Order());
    }

    [Fact]
    public async Task Log_records_may_have_no_ids_but_not_ids_of_the_wrong_length()
    {
        var body = """
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[
              {"eventName":"no-ids"},
              {"eventName":"zero-ids","traceId":"00000000000000000000000000000000","spanId":"0000000000000000"},
              {"eventName":"short-trace","traceId":"abcd"},
              {"eventName":"long-span","traceId":"5b8efff798038103d269b633813fc60c","spanId":"5b8efff798038103d269"}]}]}]}
            """;

        using var response = await PostAsync("/v1/logs", Encoding.UTF8.GetBytes(body), "application/json");

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("2", (string?)json["partialSuccess"]!["rejectedLogRecords"]);
        Assert.Contains("logRecords[2].traceId: Must be 16 bytes (32 hex digits), not 2.", (string?)json["partialSuccess"]!["errorMessage"], StringComparison.Ordinal);
        Assert.Contains("logRecords[3].spanId: Must be 8 bytes", (string?)json["partialSuccess"]!["errorMessage"], StringComparison.Ordinal);
        var stored = (await _client.GetEventsAsync()).Events;
        Assert.Equal(["no-ids", "zero-ids"], stored.Select(e => e.Name).Order());
        Assert.All(stored, e => Assert.Null(e.Payload.CorrelationId));
    }

    [Theory]
    [InlineData(null, 401, 16)] // UNAUTHENTICATED
    [InlineData("wrong-key", 401, 16)]
    [InlineData(ReadKey, 403, 7)] // PERMISSION_DENIED
    public async Task Refusals_by_key_are_an_rpc_status_for_protobuf_and_problem_details_with_code_and_message_for_json(string? key, int status, int code)
    {
        using var keyed = new TestServerFactory(new Dictionary<string, string?>
        {
            ["EventTracker:Auth:Keys:0:Name"] = "reader",
            ["EventTracker:Auth:Keys:0:Key"] = ReadKey,
            ["EventTracker:Auth:Keys:0:Scopes:0"] = "read",
        });
        using var client = keyed.CreateClient();
        foreach (var (contentType, body) in new[] { (Protobuf, Traces(Span("refused")).ToByteArray()), ("application/json", "{}"u8.ToArray()) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            if (key is not null)
            {
                request.Headers.Add("X-API-Key", key);
            }

            using var response = await client.SendAsync(request);

            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(contentType == Protobuf ? Protobuf : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (contentType == Protobuf)
            {
                var rpc = RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
                Assert.Equal(code, rpc.Code);
                Assert.Contains("API key", rpc.Message, StringComparison.Ordinal);
            }
            else
            {
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(status, (int?)json["status"]);
                Assert.Equal(code, (int?)json["code"]);
                Assert.Contains("API key", (string?)json["message"], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_partial_success_in_json_names_the_rejected_count_and_fields()
    {
        var body = $$$$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"session.id","value":{"stringValue":"{{{{new string('s', 300)}}}}"}}]},{}]}]}]}""";

        using var response = await PostAsync("/v1/logs", Encoding.UTF8.GetBytes(body), "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("1", (string?)json["partialSuccess"]!["rejectedLogRecords"]);
        Assert.StartsWith("resourceLogs[0].scopeLogs[0].logRecords[0].sessionId:", (string?)json["partialSuccess"]!["errorMessage"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_trace_export_stores_each_span_once()
    {
        var request = Traces(Span("retried-1"), Span("retried-2")).ToByteArray();

        using (var first = await PostAsync("/v1/traces", request, Protobuf))
        using (var second = await PostAsync("/v1/traces", request, Protobuf))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.Equal(2, (await _client.GetEventsAsync("?serviceName=otlp-test")).Filtered);
    }

    public static TheoryData<string, string?, byte[], int, string> BadRequests => new()
    {
        { "/v1/traces", "text/plain", "{}"u8.ToArray(), 415, "Content-Type" },
        { "/v1/logs", null, "{}"u8.ToArray(), 415, "Content-Type" },
        { "/v1/traces", Protobuf, [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], 400, "not a valid OTLP protobuf" },
        { "/v1/traces", Protobuf, [0x0a, 0x05, 0x0a, 0x03, 0x0a, 0x01], 400, "not a valid OTLP protobuf" },
        { "/v1/logs", "application/json", "[]"u8.ToArray(), 400, "export request object" },
        { "/v1/logs", "application/json", "{\"resourceLogs\":"u8.ToArray(), 400, "not a valid OTLP JSON" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not-hex"}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[0].traceId" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"abc"}]}]}]}"""u8.ToArray(), 400, "traceId" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"endTimeUnixNano":-5}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{},{"kind":"server"}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[1].kind" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"status":{"code":"bad"}}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[0].status.code" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"n","value":{"intValue":"abc"}}]}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue" },
        { "/v1/traces", "application/json", """{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}"""u8.ToArray(), 400, "resourceSpans[0].scopeSpans[0].spans[0].name" },
        { "/v1/traces", "application/json", """{"resourceSpans":{"a":1}}"""u8.ToArray(), 400, "resourceSpans: Must be an array" },
        { "/v1/traces", "application/json", """{"resourceSpans":"all of them"}"""u8.ToArray(), 400, "resourceSpans: Must be an array" },
        { "/v1/logs", "application/json", """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"abc"}]}]}]}"""u8.ToArray(), 400, "resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano" },
        { "/v1/logs", "application/json", """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"LOUD"}]}]}]}"""u8.ToArray(), 400, "resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber" },
        { "/v1/logs", "application/json", Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)), 400, "not a valid OTLP JSON" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_export_is_refused_naming_the_problem_and_stores_nothing(string path, string? contentType, byte[] body, int status, string named)
    {
        using var response = await PostAsync(path, body, contentType);

        Assert.Equal(status, (int)response.StatusCode);
        var text = contentType == Protobuf
            ? RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message
            : await response.Content.ReadAsStringAsync();
        Assert.Contains(named, text, StringComparison.Ordinal);
        Assert.Equal(0, (await _client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task A_json_refusal_reads_as_problem_details_and_as_a_status()
    {
        using var response = await PostAsync("/v1/logs", "[]"u8.ToArray(), "application/json");

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int?)json["status"]);
        Assert.Equal(3, (int?)json["code"]); // INVALID_ARGUMENT
        Assert.Contains("export request object", (string?)json["message"], StringComparison.Ordinal);
        Assert.NotNull(json["errors"]!["body"]);
    }

    [Fact]
    public async Task An_export_over_the_senders_event_budget_is_refused_with_retry_after_and_stored_nothing()
    {
        using var limited = new TestServerFactory(new Dictionary<string, string?>
        {
            ["EventTracker:RateLimit:EventsPerSecond"] = "1",
            ["EventTracker:RateLimit:EventBurst"] = "3",
        });
        using var client = limited.CreateClient();
        using var first = new ByteArrayContent(Traces(Span("a"), Span("b"), Span("c")).ToByteArray());
        first.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
        using var second = new ByteArrayContent(Traces(Span("d")).ToByteArray());
        second.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/traces", first)).StatusCode);
        using var response = await client.PostAsync("/v1/traces", second);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(8, RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Code);
        Assert.Equal(3, (await client.GetEventsAsync()).Total);
    }

    [Fact]
    public async Task Damaged_protobuf_exports_never_get_a_5xx_and_a_refused_one_stores_nothing()
    {
        var valid = Traces(Span("fuzz-1"), Span("fuzz-2"), Span("fuzz-3")).ToByteArray();
        var random = new Random(20261128);
        for (var i = 0; i < 300; i++)
        {
            var damaged = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            var body = i % 3 == 0 ? damaged[..random.Next(damaged.Length)] : damaged;
            var before = _factory.Store.Count;

            using var response = await PostAsync(i % 2 == 0 ? "/v1/traces" : "/v1/logs", body, Protobuf);

            Assert.True((int)response.StatusCode is 200 or 400, $"case {i}: {(int)response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(before, _factory.Store.Count);
                Assert.NotEmpty(RpcStatus.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Message);
            }
        }
    }

    [Theory]
    [InlineData(30, HttpStatusCode.OK)] // 90 message levels: within the decoder's limit, and shallower than JSON allows
    [InlineData(40, HttpStatusCode.BadRequest)] // 120 message levels: past the decoder's limit of 100
    public async Task Nested_attributes_are_kept_to_the_decoders_depth_limit_and_refused_past_it(int levels, HttpStatusCode status)
    {
        var deep = new AnyValue { StringValue = "bottom" };
        for (var i = 0; i < levels; i++)
        {
            var list = new KeyValueList();
            list.Values.Add(new KeyValue { Key = "level", Value = deep });
            deep = new AnyValue { KvlistValue = list };
        }

        var nested = Span("nested");
        nested.Attributes.Add(new KeyValue { Key = "deep", Value = deep });

        using var response = await PostAsync("/v1/traces", Traces(nested).ToByteArray(), Protobuf);

        Assert.Equal(status, response.StatusCode);
        var stored = (await _client.GetEventsAsync("?serviceName=otlp-test")).Events;
        if (status == HttpStatusCode.OK)
        {
            var node = Assert.Single(stored).Payload.Metadata!["deep"];
            for (var i = 0; i < levels; i++)
            {
                node = node!["level"];
            }

            Assert.Equal("bottom", (string?)node);
        }
        else
        {
            Assert.Empty(stored);
        }
    }

    [Fact]
    public async Task The_export_endpoints_take_only_post()
    {
        using var response = await _client.GetAsync("/v1/traces");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? contentType, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return await _client.PostAsync(path, content);
    }

    internal static ExportTraceServiceRequest Traces(params Span[] spans)
    {
        var scope = new ScopeSpans();
        scope.Spans.AddRange(spans);
        var resource = new ResourceSpans { Resource = new Resource() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "otlp-test" } });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    internal static Span Span(string name)
    {
        var start = Nanoseconds(DateTimeOffset.UtcNow);
        return new Span { Name = name, TraceId = Id(16, Random.Shared.Next()), SpanId = Id(8, Random.Shared.Next()), StartTimeUnixNano = start, EndTimeUnixNano = start + 5_000_000 };
    }

    private static ByteString Id(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] |= 1;
        return ByteString.CopyFrom(bytes);
    }

    private static ulong Nanoseconds(DateTimeOffset time) => (ulong)time.ToUnixTimeMilliseconds() * 1_000_000;

    private static byte[] Gzip(byte[] body)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return output.ToArray();
    }
}
