using System.Text.Json.Nodes;
using EventTracker.Server.Otlp.Protocol;
using EventTracker.Server.Validation;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace EventTracker.Server.Otlp;

/// <summary>OTLP attribute values and identifiers as the JSON and text an event keeps.</summary>
internal static class OtlpValues
{
    /// <summary>The value of the attribute named <paramref name="key"/> as text, or null when absent or empty.</summary>
    public static string? Text(RepeatedField<KeyValue> attributes, string key) =>
        Find(attributes, key) is { } value && ToJson(value) is { } node ? TextOf(node) : null;

    /// <summary>The value of the attribute named <paramref name="key"/> as a whole number, or null when absent or not one.</summary>
    public static long? Integer(RepeatedField<KeyValue> attributes, string key) => Find(attributes, key) switch
    {
        { ValueCase: AnyValue.ValueOneofCase.IntValue } value => value.IntValue,
        { ValueCase: AnyValue.ValueOneofCase.StringValue } value when long.TryParse(value.StringValue, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>The attributes as a JSON object, leaving out the keys in <paramref name="except"/>; a later duplicate key wins.</summary>
    public static JsonObject ToJson(RepeatedField<KeyValue> attributes, params ReadOnlySpan<string> except)
    {
        var json = new JsonObject();
        foreach (var attribute in attributes)
        {
            if (attribute.Key.Length > 0 && !except.Contains(attribute.Key))
            {
                json[attribute.Key] = attribute.Value is null ? null : ToJson(attribute.Value);
            }
        }

        return json;
    }

    /// <summary>
    /// A value as JSON: text, booleans and numbers as themselves (a double JSON cannot hold, such as NaN, as text),
    /// arrays and key-value lists as arrays and objects, bytes as base64 text; an empty value as null.
    /// </summary>
    public static JsonNode? ToJson(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => JsonValue.Create(value.StringValue),
        AnyValue.ValueOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        AnyValue.ValueOneofCase.IntValue => JsonValue.Create(value.IntValue),
        AnyValue.ValueOneofCase.DoubleValue => double.IsFinite(value.DoubleValue)
            ? JsonValue.Create(value.DoubleValue)
            : JsonValue.Create(value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        AnyValue.ValueOneofCase.ArrayValue => new JsonArray(value.ArrayValue.Values.Select(ToJson).ToArray()),
        AnyValue.ValueOneofCase.KvlistValue => ToJson(value.KvlistValue.Values),
        AnyValue.ValueOneofCase.BytesValue => JsonValue.Create(value.BytesValue.ToBase64()),
        _ => null,
    };

    /// <summary>Bytes in a trace id.</summary>
    public const int TraceIdLength = 16;

    /// <summary>Bytes in a span id.</summary>
    public const int SpanIdLength = 8;

    /// <summary>
    /// An id (trace or span) as lowercase hex, the way OpenTelemetry writes it. Empty, or all zeros, is null: allowed
    /// where the id may be absent, reported under <paramref name="field"/> where it is <paramref name="required"/>.
    /// Any length other than <paramref name="length"/> bytes is reported: the specification calls such ids invalid.
    /// </summary>
    public static string? Id(ByteString id, int length, bool required, string field, ValidationErrors errors)
    {
        var bytes = id.Span;
        if (bytes.IsEmpty || !bytes.ContainsAnyExcept((byte)0))
        {
            if (required)
            {
                errors.Add(field, bytes.IsEmpty ? $"Is required: {length} bytes." : "Must not be all zeros (an invalid id).");
            }

            return null;
        }

        if (bytes.Length != length)
        {
            errors.Add(field, $"Must be {length} bytes ({length * 2} hex digits), not {bytes.Length}.");
            return null;
        }

        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Nanoseconds since the Unix epoch as milliseconds; null for 0 (not set).</summary>
    public static long? Milliseconds(ulong unixNanoseconds) => unixNanoseconds == 0 ? null : (long)(unixNanoseconds / 1_000_000);

    // The value of the first attribute of that name.
    private static AnyValue? Find(RepeatedField<KeyValue> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                return attribute.Value;
            }
        }

        return null;
    }

    private static string? TextOf(JsonNode node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? (text.Length == 0 ? null : text) : node.ToJsonString();
}
