using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;

namespace EventTracker.Server.Tests.Mcp;

/// <summary>Every structured answer of every tool, in each of its shapes, validates against the output schema the tool declares.</summary>
public sealed class OutputSchemaTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
    private HttpClient _http = null!;
    private McpClient _mcp = null!;

    public async Task InitializeAsync()
    {
        _http = _factory.CreateClient();
        _mcp = await McpConnection.ConnectAsync(_http);
        await McpAnswerShapes.SeedAsync(_http, _factory.Time!);
    }

    public async Task DisposeAsync()
    {
        await _mcp.DisposeAsync();
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Each_structured_answer_validates_against_the_declared_output_schema()
    {
        var schemas = (await _mcp.ListToolsAsync()).ToDictionary(t => t.Name, t => JsonSchema.FromText(t.ProtocolTool.OutputSchema!.Value.GetRawText()));
        var answers = new Dictionary<string, JsonElement>();
        foreach (var call in McpAnswerShapes.Calls)
        {
            var arguments = new Dictionary<string, object?>(call.Arguments);
            if (call.CursorFrom is { } earlier)
            {
                arguments["cursor"] = answers[earlier].GetProperty("nextCursor").GetString();
            }

            var result = await _mcp.CallToolAsync(call.Tool, arguments);
            Assert.True(result.IsError != true, call.Label);
            var answer = result.StructuredContent!.Value;
            answers[call.Label] = answer;

            var evaluation = schemas[call.Tool].Evaluate(answer, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(evaluation.IsValid, $"{call.Label}: {JsonSerializer.Serialize(evaluation.Details?.Where(d => !d.IsValid).Select(d => new { at = d.InstanceLocation.ToString(), errors = d.Errors }))}\n{answer}");
        }
    }

    [Fact]
    public async Task A_schema_that_required_a_member_the_answer_leaves_out_would_fail_this_check()
    {
        var tool = (await _mcp.ListToolsAsync()).Single(t => t.Name == "trace_correlation");
        var stricter = JsonSerializer.SerializeToNode(tool.ProtocolTool.OutputSchema)!;
        stricter["required"]!.AsArray().Add("failingStep");
        var answer = (await _mcp.CallToolAsync("trace_correlation", new Dictionary<string, object?> { ["correlationId"] = "req-fine" })).StructuredContent!.Value;

        var evaluation = JsonSchema.FromText(stricter.ToJsonString()).Evaluate(answer);

        Assert.False(evaluation.IsValid);
    }
}
