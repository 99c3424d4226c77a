using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>
/// Writes times as ISO 8601 in UTC with millisecond precision and a <c>Z</c> suffix
/// (<c>2025-08-27T10:30:45.123Z</c>), as the API's examples show; reads any ISO 8601 time.
/// </summary>
public sealed class UtcIsoDateTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    /// <summary>A time as the API writes it: ISO 8601 in UTC with milliseconds and a <c>Z</c> (<c>2025-08-27T10:30:45.123Z</c>).</summary>
    /// <param name="value">The time.</param>
    /// <returns>The time's text.</returns>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
