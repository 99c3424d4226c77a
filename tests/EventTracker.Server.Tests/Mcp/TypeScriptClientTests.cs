using System.Diagnostics;
using System.Text.Json;
using EventTracker.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Mcp;

/// <summary>
/// Every MCP tool, in every shape it answers with, called through the official TypeScript SDK client — the one most
/// agent hosts are built on — which rejects a structured answer that does not match the tool's output schema.
/// </summary>
public sealed class TypeScriptClientTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)), kestrel: true);
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _http = _factory.CreateClient();
        await McpAnswerShapes.SeedAsync(_http, _factory.Time!);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Every_tool_answer_passes_the_TypeScript_SDKs_output_schema_check()
    {
        var results = await CallWithTypeScriptSdkAsync(McpAnswerShapes.Calls);

        var listed = results[0].GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(6, listed.Count);
        Assert.All(listed, t => Assert.True(t.GetProperty("hasOutputSchema").GetBoolean()));
        Assert.Equal(McpAnswerShapes.Calls.Select(c => c.Label), results.Skip(1).Select(r => r.GetProperty("label").GetString()));
        Assert.All(results.Skip(1), r => Assert.True(r.GetProperty("ok").GetBoolean(), r.GetRawText()));
        var answers = results.Skip(1).ToDictionary(r => r.GetProperty("label").GetString()!, r => r.GetProperty("structuredContent"));

        // The shapes were really reached: optional members absent, and present where they apply.
        Assert.True(answers["query: first page"].TryGetProperty("nextCursor", out _));
        Assert.False(answers["query: last page"].TryGetProperty("nextCursor", out _));
        Assert.Equal(0, answers["query: no match"].GetProperty("events").GetArrayLength());
        Assert.Equal(200, answers["query: over the row limit"].GetProperty("events").GetArrayLength());
        Assert.Equal(2, answers["trace: failing step"].GetProperty("failingStep").GetInt32());
        Assert.False(answers["trace: no failing step"].TryGetProperty("failingStep", out _));
        Assert.NotEqual(0, answers["health: degraded"].GetProperty("openInsights").GetArrayLength());
        Assert.True(answers["health: healthy"].TryGetProperty("previous", out _));
        Assert.False(answers["health: new service, no window before"].TryGetProperty("previous", out _));
        Assert.False(answers["health: unknown service"].TryGetProperty("current", out _));
        Assert.NotEqual(0, answers["insights: open"].GetProperty("insights").GetArrayLength());
        Assert.Equal(0, answers["insights: none of a type"].GetProperty("insights").GetArrayLength());
        Assert.Equal(0, answers["services: empty range"].GetProperty("services").GetArrayLength());

        // Times as the REST API writes them.
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", answers["insights: open"].GetProperty("evaluatedAt").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", answers["trace: no failing step"].GetProperty("timeline")[0].GetProperty("event").GetProperty("time").GetString());
    }

    private async Task<List<JsonElement>> CallWithTypeScriptSdkAsync(IReadOnlyList<McpAnswerShapes.Call> calls)
    {
        using var directory = new TemporaryDirectory();
        var callsFile = Path.Combine(directory.Path, "calls.json");
        await File.WriteAllTextAsync(callsFile, JsonSerializer.Serialize(calls.Select(c => new { label = c.Label, tool = c.Tool, arguments = c.Arguments, cursorFrom = c.CursorFrom })));
        var script = Path.Combine(ScriptDirectory(), "call-tools.mjs");
        var start = new ProcessStartInfo("node", [script, new Uri(_http.BaseAddress!, "/mcp").ToString(), callsFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ScriptDirectory(),
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, await errors);
        return JsonSerializer.Deserialize<List<JsonElement>>(await output)!;
    }

    private static string ScriptDirectory() => Path.Combine(RepositoryRoot.Path, "tests", "mcp-typescript");
}
