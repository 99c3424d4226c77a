using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventTracker.Server.Tests.Hostile;

/// <summary>
/// Bad requests to <c>/mcp</c>, as a careless or hostile client sends them: framing (media type, encoding, bodies that
/// are not JSON or not text), params that do not fit their method, and every argument of every tool and prompt with
/// the wrong type, a megabyte, or text that is not Unicode. Each gets an answer in JSON-RPC's own format that names
/// the problem (a tool error for a tool's arguments), never a 5xx, never the megabyte echoed back, and no line at
/// Warning or above in the server's log.
/// </summary>
public sealed class HostileMcpTests : IClassFixture<HostileMcpTests.Fixture>
{
    private const string Init = """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"c","version":"1"}}""";
    // A megabyte of text, just within the body limit (1 MiB), so it reaches the checks.
    private static readonly string Mega = new('m', 1_000_000);

    private readonly Fixture _fixture;

    public HostileMcpTests(Fixture fixture) => _fixture = fixture;

    /// <summary>Name, Content-Type, gzip-declared, body, HTTP status, JSON-RPC error code (0: a tool error), what the message names.</summary>
    public static TheoryData<string, string?, bool, string, int, int, string> Framing => new()
    {
        { "no content type", null, false, Request("initialize", Init), 415, -32600, "Content-Type" },
        { "text/plain", "text/plain", false, Request("initialize", Init), 415, -32600, "Content-Type" },
        { "gzip declared, not gzip", "application/json", true, Request("initialize", Init), 400, -32700, "Content-Encoding" },
        { "cut short", "application/json", false, """{"jsonrpc":""", 400, -32700, "Malformed JSON" },
        { "empty", "application/json", false, string.Empty, 400, -32700, "Parse error" },
        { "lone surrogate argument", "application/json", false, Call("query_events", """{"cursor":"\ud800"}"""), 400, -32700, "params.arguments.cursor" },
        { "initialize, protocolVersion a number", "application/json", false, Request("initialize", """{"protocolVersion":5,"capabilities":{},"clientInfo":{"name":"c","version":"1"}}"""), 200, -32602, "protocolVersion" },
        { "initialize, no clientInfo", "application/json", false, Request("initialize", """{"protocolVersion":"2025-06-18","capabilities":{}}"""), 200, -32602, "clientInfo" },
        { "initialize, clientInfo a number", "application/json", false, Request("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":5}"""), 200, -32602, "clientInfo" },
        { "initialize, clientInfo without name", "application/json", false, Request("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"version":"1"}}"""), 200, -32602, "clientInfo.name" },
        { "initialize, params an array", "application/json", false, Request("initialize", "[1,2]"), 200, -32602, "params" },
        { "initialize, no params", "application/json", false, """{"jsonrpc":"2.0","id":1,"method":"initialize"}""", 200, -32602, "params" },
        { "initialize, a capability a number", "application/json", false, Request("initialize", """{"protocolVersion":"2025-06-18","capabilities":{"sampling":5},"clientInfo":{"name":"c","version":"1"}}"""), 200, -32602, "capabilities.sampling" },
        { "tools/call, params an array", "application/json", false, Request("tools/call", "[1]"), 200, -32602, "params" },
        { "tools/call, name a number", "application/json", false, Request("tools/call", """{"name":5}"""), 200, -32602, "name" },
        { "tools/call, arguments a string", "application/json", false, Request("tools/call", """{"name":"query_events","arguments":"x"}"""), 200, -32602, "arguments" },
        { "tools/call, unknown tool", "application/json", false, Call("nope", "{}"), 200, -32602, "nope" },
        { "tools/call, unknown megabyte tool", "application/json", false, Call(Mega, "{}"), 200, -32602, "Unknown tool" },
        { "tools/list, cursor a number", "application/json", false, Request("tools/list", """{"cursor":5}"""), 200, -32602, "cursor" },
        { "prompts/list, params an array", "application/json", false, Request("prompts/list", "[]"), 200, -32602, "params" },
        { "prompts/get, unknown prompt", "application/json", false, Request("prompts/get", """{"name":"performance"}"""), 200, -32602, "performance" },
        { "prompts/get, arguments a string", "application/json", false, Request("prompts/get", """{"name":"performance_analysis","arguments":"x"}"""), 200, -32602, "arguments" },
        { "tools/call, a required argument missing", "application/json", false, Call("trace_correlation", "{}"), 200, 0, "correlationId" },
        { "tools/call, no arguments at all", "application/json", false, Request("tools/call", """{"name":"get_service_health"}"""), 200, 0, "serviceName" },
    };

    [Theory]
    [MemberData(nameof(Framing))]
    public async Task Each_framing_or_params_error_is_answered_in_json_rpc_naming_the_problem(
        string name, string? contentType, bool gzip, string body, int status, int code, string names)
    {
        var logged = _fixture.Log.Count;
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        var (actualStatus, answer, length) = await _fixture.PostAsync(content);

        Assert.True(actualStatus == status, $"{name}: {actualStatus} {answer?.ToJsonString()}");
        AssertNames(answer, code, names, length);
        Assert.Empty(_fixture.Log.Since(logged));
    }

    [Fact]
    public async Task Invalid_utf8_in_an_argument_is_refused_not_replaced()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes(Call("query_events", "{\"cursor\":\"a")[..^3]), 0xFF, .. "b\"}}}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var (status, answer, length) = await _fixture.PostAsync(content);

        Assert.Equal(400, status);
        AssertNames(answer, -32700, "params.arguments.cursor", length);
    }

    [Fact]
    public async Task A_gzip_body_that_is_gzip_is_read()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(Request("tools/list", "{}")));
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");

        var (status, answer, _) = await _fixture.PostAsync(content);

        Assert.Equal(200, status);
        Assert.NotEmpty(answer!["result"]!["tools"]!.AsArray());
    }

    [Fact]
    public async Task Every_tool_argument_with_a_wrong_type_a_megabyte_or_bad_text_is_a_tool_error_naming_it()
    {
        var tools = (await _fixture.PostAsync(Request("tools/list", "{}"))).Answer!["result"]!["tools"]!.AsArray();
        var failures = new List<string>();
        var cases = 0;
        foreach (var tool in tools)
        {
            var toolName = tool!["name"]!.GetValue<string>();
            var schema = tool["inputSchema"]!;
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
            foreach (var (argument, property) in schema["properties"]!.AsObject())
            {
                foreach (var (label, value) in WrongValues(property!))
                {
                    cases++;
                    var arguments = new JsonObject();
                    foreach (var other in required.Where(r => r != argument))
                    {
                        arguments[other] = "present";
                    }

                    arguments[argument] = JsonNode.Parse(value);
                    var logged = _fixture.Log.Count;
                    var (status, answer, length) = await _fixture.PostAsync(Call(toolName, arguments.ToJsonString()));
                    var text = answer?["result"]?["content"]?[0]?["text"]?.GetValue<string>() ?? answer?["error"]?["message"]?.GetValue<string>() ?? string.Empty;
                    var isError = answer?["result"]?["isError"]?.GetValue<bool>() == true || answer?["error"] is not null;
                    if (status >= 500 || !isError || !text.Contains(argument, StringComparison.Ordinal) || length > 4096 || _fixture.Log.Since(logged).Count > 0)
                    {
                        failures.Add($"{toolName}.{argument}={label}: {status} {length} bytes '{text[..Math.Min(200, text.Length)]}' {string.Join(" | ", _fixture.Log.Since(logged))}");
                    }
                }
            }

            cases++;
            var unknown = await _fixture.PostAsync(Call(toolName, $$"""{"{{Mega}}":1}"""));
            if (unknown.Length > 4096 || unknown.Answer?["result"]?["isError"]?.GetValue<bool>() != true)
            {
                failures.Add($"{toolName}: a megabyte-long unknown argument: {unknown.Status} {unknown.Length} bytes");
            }
        }

        Assert.True(cases >= 40, $"{cases} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_prompt_argument_that_is_not_a_string_unknown_or_invalid_is_refused_as_invalid_params()
    {
        var prompts = (await _fixture.PostAsync(Request("prompts/list", "{}"))).Answer!["result"]!["prompts"]!.AsArray();
        var failures = new List<string>();
        foreach (var prompt in prompts)
        {
            var promptName = prompt!["name"]!.GetValue<string>();
            var values = prompt["arguments"]!.AsArray().Select(a => a!["name"]!.GetValue<string>())
                .SelectMany(a => new[] { (a, "5"), (a, "{}"), (a, "[\"x\"]"), (a, "true"), (a, JsonSerializer.Serialize(Mega)), (a, "\"tomorrow-ish\"") })
                .Append(("bogus", "\"1\""));
            foreach (var (argument, value) in values)
            {
                if (argument == "serviceName" && value == "\"tomorrow-ish\"")
                {
                    continue;
                }

                var logged = _fixture.Log.Count;
                var (status, answer, length) = await _fixture.PostAsync(Request("prompts/get", $$$"""{"name":"{{{promptName}}}","arguments":{"{{{argument}}}":{{{value}}}}}"""));
                var message = answer?["error"]?["message"]?.GetValue<string>() ?? string.Empty;
                if (status >= 500 || answer?["error"]?["code"]?.GetValue<int>() != -32602 || !message.Contains(argument, StringComparison.Ordinal)
                    || length > 4096 || _fixture.Log.Since(logged).Count > 0)
                {
                    failures.Add($"{promptName}.{argument}={value[..Math.Min(20, value.Length)]}: {status} {length} bytes '{message[..Math.Min(200, message.Length)]}' {string.Join(" | ", _fixture.Log.Since(logged))}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void AssertNames(JsonNode? answer, int code, string names, int length)
    {
        Assert.True(length < 4096, $"{length} bytes");
        Assert.NotNull(answer);
        Assert.Equal("2.0", answer["jsonrpc"]?.GetValue<string>());
        string text;
        if (code == 0)
        {
            Assert.True(answer["result"]?["isError"]?.GetValue<bool>(), answer.ToJsonString());
            text = answer["result"]!["content"]![0]!["text"]!.GetValue<string>();
        }
        else
        {
            Assert.Equal(code, answer["error"]?["code"]?.GetValue<int>());
            text = answer["error"]!["message"]!.GetValue<string>();
        }

        Assert.Contains(names, text, StringComparison.Ordinal);
    }

    // Values of a JSON type the argument's schema does not allow, a megabyte of text, and text that is not Unicode.
    private static IEnumerable<(string Label, string Json)> WrongValues(JsonNode property)
    {
        var types = property["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).ToHashSet(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        (string Type, string Label, string Json)[] all =
        [
            ("string", "a string", "\"x\""), ("integer", "a number", "5"), ("integer", "a fraction", "1.5"), ("boolean", "true", "true"),
            ("object", "an object", "{\"a\":1}"), ("array", "an array", "[1]"),
        ];
        foreach (var (type, label, json) in all)
        {
            if (!types.Contains(type) && !(type == "integer" && types.Contains("number")))
            {
                yield return (label, json);
            }
        }

        if (types.Contains("string"))
        {
            yield return ("a megabyte", JsonSerializer.Serialize(Mega));
            yield return ("a control character", "\"a\\u0001b\"");
        }
    }

    private static string Request(string method, string parameters) =>
        $$"""{"jsonrpc":"2.0","id":7,"method":"{{method}}","params":{{parameters}}}""";

    private static string Call(string tool, string arguments) =>
        Request("tools/call", $$"""{"name":{{JsonSerializer.Serialize(tool)}},"arguments":{{arguments}}}""");

    /// <summary>One server on real Kestrel for the whole class, with its Warning log collected.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private TestServerFactory _factory = null!;
        private HttpClient _client = null!;

        internal WarningLog Log { get; } = new();

        public Task InitializeAsync()
        {
            _factory = new TestServerFactory(kestrel: true, services: services => services.AddSingleton<ILoggerProvider>(Log));
            _client = _factory.CreateClient();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            _client.Dispose();
            await _factory.DisposeAsync();
        }

        public Task<(int Status, JsonNode? Answer, int Length)> PostAsync(string body)
        {
            var content = new StringContent(body, Encoding.UTF8, "application/json");
            return PostAsync(content);
        }

        /// <summary>POSTs to <c>/mcp</c> as a Streamable HTTP client does; the answer read from JSON or from the one SSE event.</summary>
        public async Task<(int Status, JsonNode? Answer, int Length)> PostAsync(HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
            using var response = await _client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var json = text.Split('\n').FirstOrDefault(l => l.StartsWith("data:", StringComparison.Ordinal))?[5..] ?? text;
            JsonNode? answer;
            try
            {
                answer = JsonNode.Parse(json);
            }
            catch (JsonException)
            {
                answer = null;
            }

            return ((int)response.StatusCode, answer, text.Length);
        }
    }
}
