using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace EventTracker.Server.Otlp;

/// <summary>
/// Reads an OTLP export request in either encoding. OTLP/JSON writes trace and span ids as hex text where protobuf's
/// JSON mapping expects base64, so those are turned into base64 before the JSON is read into the message.
/// </summary>
internal static class OtlpRequestParser
{
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly string[] IdFields = ["traceId", "spanId", "parentSpanId"];
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The request, or null with <paramref name="error"/> naming what is wrong with the body and where.</summary>
    public static T? Parse<T>(byte[] body, OtlpEncoding encoding, MessageParser<T> parser, out (string Field, string Message)? error)
        where T : class, IMessage<T>, new()
    {
        error = null;
        try
        {
            if (encoding == OtlpEncoding.Protobuf)
            {
                return parser.ParseFrom(body);
            }

            var json = JsonNode.Parse(body);
            if (json is not JsonObject root)
            {
                error = ("body", "The body must be an OTLP/JSON export request object.");
                return null;
            }

            error = OtlpJsonShape.Problem(root, new T().Descriptor) ?? IdsToBase64(root, string.Empty);
            return error is null ? Json.Parse<T>(root.ToJsonString()) : null;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or JsonException or FormatException or InvalidOperationException)
        {
            error = ("body", $"The body is not a valid OTLP {(encoding == OtlpEncoding.Protobuf ? "protobuf" : "JSON")} export request: {e.Message}");
            return null;
        }
    }

    // Returns the first id that is not hex text, by its path; rewrites the others in place.
    private static (string Field, string Message)? IdsToBase64(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (key, value) in json.ToList())
                {
                    var at = path.Length == 0 ? key : $"{path}.{key}";
                    if (IdFields.Contains(key) && value is JsonValue id && id.TryGetValue<string>(out var hex))
                    {
                        if (hex.Length % 2 != 0 || hex.AsSpan().ContainsAnyExcept(HexDigits))
                        {
                            return (at, "An id must be hex text, such as \"5b8efff798038103d269b633813fc60c\".");
                        }

                        json[key] = Convert.ToBase64String(Convert.FromHexString(hex));
                    }
                    else if (value is not null && IdsToBase64(value, at) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item && IdsToBase64(item, $"{path}[{i}]") is { } error)
                    {
                        return error;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
