using System.Text.Json;
using System.Text.Json.Serialization;
using EventTracker.Contracts;
using ModelContextProtocol;

namespace EventTracker.Server.Mcp;

/// <summary>
/// The server's JSON conventions for tool arguments and answers, as the REST API writes them: camelCase names, members
/// that are null left out, times as <c>2026-03-02T09:00:00.000Z</c>. The SDK's own options write times with an offset.
/// </summary>
internal static class McpJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new UtcIsoDateTimeConverter());
        options.MakeReadOnly();
        return options;
    }
}
