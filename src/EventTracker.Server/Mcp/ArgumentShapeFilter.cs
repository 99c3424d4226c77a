using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before it runs: an unknown argument, or one of the
/// wrong JSON type (<c>"limit": "ten"</c>), is a tool error naming the argument, where binding would only say that
/// the call failed. The tools check the values themselves.
/// </summary>
internal static class ArgumentShapeFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool && context.Params?.Arguments is { } arguments
                && Problem(tool.ProtocolTool.InputSchema, arguments.Select(a => (a.Key, a.Value)), string.Empty) is { } problem)
            {
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = problem }] };
            }

            return await next(context, cancellationToken);
        };

    private static string? Problem(JsonElement schema, IEnumerable<(string Name, JsonElement Value)> arguments, string prefix)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        foreach (var (name, value) in arguments)
        {
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property))
            {
                return $"Argument '{prefix}{name}': this tool has no such argument.";
            }

            if (Expected(property) is { } expected && !Fits(value, expected))
            {
                return $"Argument '{prefix}{name}': must be {string.Join(" or ", expected)}, not {Describe(value)}.";
            }

            if (value.ValueKind == JsonValueKind.Object && property.TryGetProperty("properties", out _)
                && Problem(property, value.EnumerateObject().Select(m => (m.Name, m.Value)), prefix + name + ".") is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static List<string>? Expected(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type))
        {
            return null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
    }

    private static bool Fits(JsonElement value, List<string> expected) => value.ValueKind switch
    {
        JsonValueKind.Null => expected.Contains("null"),
        JsonValueKind.String => expected.Contains("string"),
        JsonValueKind.True or JsonValueKind.False => expected.Contains("boolean"),
        JsonValueKind.Object => expected.Contains("object"),
        JsonValueKind.Array => expected.Contains("array"),
        JsonValueKind.Number => expected.Contains("number") || (expected.Contains("integer") && value.TryGetInt32(out _)),
        _ => false,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number " + value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
