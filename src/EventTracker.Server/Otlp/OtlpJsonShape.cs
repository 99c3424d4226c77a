using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;

namespace EventTracker.Server.Otlp;

/// <summary>
/// Checks an OTLP/JSON request against the protobuf message it must fill, member by member, before the protobuf JSON
/// parser reads it: that parser refuses a time of <c>"abc"</c> or a <c>kind</c> of <c>"server"</c> without saying
/// where. The first member of the wrong JSON type is named by its path
/// (<c>resourceSpans[0].scopeSpans[0].spans[3].startTimeUnixNano</c>). Unknown members are left alone, as the parser
/// ignores them.
/// </summary>
internal static class OtlpJsonShape
{
    /// <summary>The first member that cannot fill its field, as (path, what it must be); null when all can.</summary>
    public static (string Path, string Message)? Problem(JsonObject json, MessageDescriptor descriptor, string path = "")
    {
        foreach (var (name, value) in json)
        {
            if (value is null || Field(descriptor, name) is not { } field)
            {
                continue;
            }

            var at = path.Length == 0 ? name : $"{path}.{name}";
            if (field.IsRepeated && !field.IsMap)
            {
                if (value is not JsonArray items)
                {
                    return (at, "Must be an array.");
                }

                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i] is { } item && Single(item, field, $"{at}[{i}]") is { } problem)
                    {
                        return problem;
                    }
                }
            }
            else if (!field.IsMap && Single(value, field, at) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static FieldDescriptor? Field(MessageDescriptor descriptor, string name) =>
        descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name || f.Name == name);

    private static (string Path, string Message)? Single(JsonNode value, FieldDescriptor field, string at)
    {
        var kind = value.GetValueKind();
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group:
                return value is JsonObject inner ? Problem(inner, field.MessageType, at) : (at, "Must be an object.");
            case FieldType.String or FieldType.Bytes:
                return kind == JsonValueKind.String ? null : (at, "Must be a string.");
            case FieldType.Bool:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : (at, "Must be true or false.");
            case FieldType.Double or FieldType.Float:
                return kind == JsonValueKind.Number || (kind == JsonValueKind.String && IsFloatText(value.GetValue<string>()))
                    ? null
                    : (at, "Must be a number (or \"NaN\", \"Infinity\", \"-Infinity\").");
            case FieldType.Enum:
                return IsWhole(value, kind, unsigned: false)
                    || (kind == JsonValueKind.String && field.EnumType.FindValueByName(value.GetValue<string>()) is not null)
                    ? null
                    : (at, $"Must be a number or one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}.");
            default:
                var unsigned = field.FieldType is FieldType.UInt32 or FieldType.UInt64 or FieldType.Fixed32 or FieldType.Fixed64;
                return IsWhole(value, kind, unsigned)
                    ? null
                    : (at, unsigned ? "Must be a whole number of at least 0, or one as a string of digits." : "Must be a whole number, or one as a string of digits.");
        }
    }

    // A whole number within 64 bits, as a JSON number or as text (the protobuf JSON mapping writes 64-bit ones as text).
    private static bool IsWhole(JsonNode value, JsonValueKind kind, bool unsigned)
    {
        var text = kind switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        if (!decimal.TryParse(text, NumberStyles.Integer | NumberStyles.AllowExponent | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        return decimal.Truncate(number) == number && (unsigned ? number is >= 0 and <= ulong.MaxValue : number is >= long.MinValue and <= long.MaxValue);
    }

    private static bool IsFloatText(string text) =>
        text is "NaN" or "Infinity" or "-Infinity" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
