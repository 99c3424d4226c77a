using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>
/// The shape of each MCP request's params, checked before the SDK binds them: the SDK answers a params it cannot bind
/// with −32603 "An error occurred." (or, for <c>initialize</c>, an HTTP 500) and logs a stack trace; this names the member
/// instead (−32602). Tool names and prompt names and arguments are checked here too; a tool's argument values are the
/// tool's to check (<see cref="ArgumentShapeFilter"/>), so an agent gets them as a tool error it can correct.
/// </summary>
internal sealed class McpParamsCheck
{
    private readonly HashSet<string> _tools;
    private readonly Dictionary<string, (HashSet<string> Known, List<string> Required)> _prompts;
    private readonly TimeProvider _time;

    public McpParamsCheck(IEnumerable<McpServerTool> tools, IEnumerable<McpServerPrompt> prompts, TimeProvider time)
    {
        _tools = tools.Select(t => t.ProtocolTool.Name).ToHashSet(StringComparer.Ordinal);
        _prompts = prompts.ToDictionary(
            p => p.ProtocolPrompt.Name,
            p => (
                (p.ProtocolPrompt.Arguments ?? []).Select(a => a.Name).ToHashSet(StringComparer.Ordinal),
                (p.ProtocolPrompt.Arguments ?? []).Where(a => a.Required == true).Select(a => a.Name).ToList()),
            StringComparer.Ordinal);
        _time = time;
    }

    /// <summary>What is wrong with the params of <paramref name="method"/>, or null when the SDK can take them.</summary>
    public string? Problem(string method, JsonElement? parameters)
    {
        if (parameters is not { } p || p.ValueKind == JsonValueKind.Null)
        {
            return method switch
            {
                "initialize" => "'params' is required: protocolVersion, capabilities and clientInfo.",
                "tools/call" or "prompts/get" => "'params' is required, with the name to call.",
                _ => null,
            };
        }

        if (p.ValueKind != JsonValueKind.Object)
        {
            return "'params' must be an object.";
        }

        return Member(p, "_meta", JsonValueKind.Object, required: false) ?? method switch
        {
            "initialize" => Initialize(p),
            "tools/call" => CallTool(p),
            "prompts/get" => GetPrompt(p),
            "tools/list" or "prompts/list" or "resources/list" or "resources/templates/list" => Member(p, "cursor", JsonValueKind.String, required: false),
            "logging/setLevel" => Member(p, "level", JsonValueKind.String, required: true),
            _ => null,
        };
    }

    private static string? Initialize(JsonElement p) =>
        Member(p, "protocolVersion", JsonValueKind.String, required: true)
        ?? Member(p, "capabilities", JsonValueKind.Object, required: true)
        ?? Member(p, "clientInfo", JsonValueKind.Object, required: true)
        ?? Member(p.GetProperty("clientInfo"), "name", JsonValueKind.String, required: true, "clientInfo.")
        ?? Member(p.GetProperty("clientInfo"), "version", JsonValueKind.String, required: true, "clientInfo.");

    private string? CallTool(JsonElement p)
    {
        if ((Member(p, "name", JsonValueKind.String, required: true) ?? Member(p, "arguments", JsonValueKind.Object, required: false)) is { } problem)
        {
            return problem;
        }

        var name = p.GetProperty("name").GetString()!;
        return _tools.Contains(name) ? null : $"Unknown tool: '{JsonRpcError.Quote(name)}'; tools/list names the tools.";
    }

    private string? GetPrompt(JsonElement p)
    {
        if ((Member(p, "name", JsonValueKind.String, required: true) ?? Member(p, "arguments", JsonValueKind.Object, required: false)) is { } problem)
        {
            return problem;
        }

        var name = p.GetProperty("name").GetString()!;
        if (!_prompts.TryGetValue(name, out var prompt))
        {
            return $"Unknown prompt: '{JsonRpcError.Quote(name)}'; prompts/list names the prompts.";
        }

        var arguments = p.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            foreach (var argument in arguments.EnumerateObject())
            {
                if (!prompt.Known.Contains(argument.Name))
                {
                    return $"Argument '{JsonRpcError.Quote(argument.Name)}': prompt '{name}' has no such argument ({string.Join(", ", prompt.Known)}).";
                }

                if (argument.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return $"Argument '{argument.Name}': prompt arguments are strings.";
                }

                given[argument.Name] = argument.Value.GetString();
            }
        }

        if (prompt.Required.FirstOrDefault(r => !given.ContainsKey(r)) is { } missing)
        {
            return $"Argument '{missing}': is required.";
        }

        return Values(given);
    }

    // The analysis prompts read their arguments as the tools do; checked here, a bad one is −32602 and no logged error.
    private string? Values(Dictionary<string, string?> given)
    {
        try
        {
            if (given.GetValueOrDefault("serviceName") is { Length: > 0 } service)
            {
                ToolArguments.Identifier(service, "serviceName");
            }

            ToolArguments.Range(given.GetValueOrDefault("from"), given.GetValueOrDefault("to"), _time.GetUtcNow());
            return null;
        }
        catch (McpException e)
        {
            return e.Message;
        }
    }

    private static string? Member(JsonElement parent, string name, JsonValueKind kind, bool required, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? $"'{prefix}{name}' is required." : null;
        }

        return value.ValueKind == kind ? null : $"'{prefix}{name}' must be {Describe(kind)}, not {Describe(value.ValueKind)}.";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
