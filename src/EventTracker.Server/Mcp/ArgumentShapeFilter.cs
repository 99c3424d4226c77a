using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before it runs: an unknown argument, a missing
/// required one, or one of the wrong JSON type (<c>"limit": "ten"</c>) is a tool error naming the argument, where
/// binding would only say that the call failed. The tools check the values themselves and refuse one with an
/// <see cref="McpException"/>, which becomes the same kind of tool error here: an agent's mistake, logged at Debug,
/// not an error with a stack trace per call.
/// </summary>
internal static partial class ArgumentShapeFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            using var activity = Telemetry.ServerActivities.McpTool(context.Params?.Name);
            var result = await CallAsync(next, context, cancellationToken);
            activity?.SetTag("eventtracker.outcome", result.IsError == true ? "error" : "ok");
            context.Services?.GetService<Telemetry.ServerMetrics>()?.McpCall(context.Params?.Name ?? string.Empty, result.IsError == true);
            return result;
        };

    private static async ValueTask<CallToolResult> CallAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        if (context.MatchedPrimitive is McpServerTool tool
            && Problem(tool.ProtocolTool.InputSchema, (context.Params?.Arguments ?? new Dictionary<string, JsonElement>()).Select(a => (a.Key, a.Value)), string.Empty) is { } problem)
        {
            return Refuse(context, problem);
        }

        try
        {
            return await next(context, cancellationToken);
        }
        catch (McpException e) when (e is not McpProtocolException)
        {
            return Refuse(context, e.Message);
        }
    }

    private static CallToolResult Refuse(RequestContext<CallToolRequestParams> context, string problem)
    {
        if (context.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ArgumentShapeFilter)) is { } logger && logger.IsEnabled(LogLevel.Debug))
        {
            LogRefused(logger, context.Params?.Name, problem);
        }

        return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = problem }] };
    }

    private static string? Problem(JsonElement schema, IEnumerable<(string Name, JsonElement Value)> arguments, string prefix)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            given.Add(name);
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property))
            {
                return $"Argument '{prefix}{JsonRpcError.Quote(name)}': this tool has no such argument.";
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

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            && required.EnumerateArray().Select(r => r.GetString()).FirstOrDefault(r => r is not null && !given.Contains(r)) is { } missing)
        {
            return $"Argument '{prefix}{missing}': is required.";
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tool call {Tool} refused: {Problem}")]
    private static partial void LogRefused(ILogger logger, string? tool, string problem);

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
        JsonValueKind.Number => "the number " + JsonRpcError.Quote(value.GetRawText()),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => JsonRpcError.Quote(value.GetRawText()),
    };
}
