using System.Text.Json;

namespace EventTracker.Server.Mcp;

/// <summary>
/// A JSON-RPC error answered before the MCP SDK reads the request, in the protocol's own format (never problem details):
/// the codes JSON-RPC 2.0 defines, the request's id when it could be read, and a message that names what is wrong.
/// </summary>
internal static class JsonRpcError
{
    /// <summary>The body is not JSON, or not text: JSON-RPC's parse error.</summary>
    public const int ParseError = -32700;

    /// <summary>The body is JSON but not a request the server takes (media type, framing).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method exists but its params do not fit it.</summary>
    public const int InvalidParams = -32602;

    // A message quotes what the client sent only this far: a 1 MB argument is not echoed back.
    private const int MaxQuoted = 80;

    /// <summary>Writes the error as the whole response.</summary>
    public static async Task WriteAsync(HttpResponse response, int status, JsonElement? id, int code, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            if (id is { ValueKind: JsonValueKind.String or JsonValueKind.Number } known)
            {
                known.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), response.HttpContext.RequestAborted);
    }

    /// <summary>Client text as a message quotes it: cut to a length a log line or an agent's context can hold.</summary>
    public static string Quote(string text) => text.Length <= MaxQuoted ? text : string.Concat(text.AsSpan(0, MaxQuoted), "…");
}
