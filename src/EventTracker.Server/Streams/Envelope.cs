using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EventTracker.Server.Streams;

/// <summary>Writes the stream envelope <c>{"type":…,"data":…}</c> as UTF-8 JSON.</summary>
internal static class Envelope
{
    public static byte[] Serialize<T>(string type, T data, JsonTypeInfo<T> dataType)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, dataType);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
