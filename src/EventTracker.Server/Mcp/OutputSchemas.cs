using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace EventTracker.Server.Mcp;

/// <summary>
/// Makes the tools' declared schemas true to what <see cref="McpJson"/> writes, so clients that validate structured
/// answers against the output schema (the TypeScript SDK does) accept every shape a tool can answer with. One rule: a
/// member that may be null is left out when it is, so it is never <c>required</c>; its type still admits <c>null</c>.
/// Times, which <see cref="McpJson"/> writes with its own converter, are declared as date-time strings.
/// </summary>
internal static class OutputSchemas
{
    public static AIJsonSchemaCreateOptions CreateOptions { get; } = new() { TransformSchemaNode = Transform };

    private static JsonNode Transform(AIJsonSchemaCreateContext context, JsonNode node)
    {
        var type = context.TypeInfo.Type;
        if (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?))
        {
            return new JsonObject
            {
                ["type"] = type == typeof(DateTimeOffset) ? "string" : new JsonArray("string", "null"),
                ["format"] = "date-time",
            };
        }

        if (node is JsonObject { } schema && schema["properties"] is JsonObject properties && schema["required"] is JsonArray required)
        {
            foreach (var name in required.Where(n => MayBeNull(properties[n!.GetValue<string>()])).ToList())
            {
                required.Remove(name);
            }

            if (required.Count == 0)
            {
                schema.Remove("required");
            }
        }

        return node;
    }

    private static bool MayBeNull(JsonNode? property) => (property as JsonObject)?["type"] switch
    {
        JsonArray types => types.Any(t => t?.GetValue<string>() == "null"),
        JsonValue type => type.GetValue<string>() == "null",
        _ => false,
    };
}
