using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Server.Alerts;

/// <summary>
/// Writes a webhook message: <c>{"type":…,"timestamp":…,"data":…,"text":…}</c> — Standard Webhooks' envelope, with
/// <c>data</c> written as the REST API writes it and a <c>text</c> that Slack and Teams incoming webhooks show as is.
/// </summary>
internal static class AlertMessage
{
    public static byte[] ForInsight(string type, DateTimeOffset timestamp, AIInsight insight) =>
        Write(type, timestamp, AlertText.ForInsight(type, insight), writer => JsonSerializer.Serialize(writer, insight, EventTrackerJsonContext.Default.AIInsight));

    public static byte[] ForTest(DateTimeOffset timestamp, Webhook webhook) =>
        Write(AlertMessageTypes.Test, timestamp, AlertText.ForTest(webhook.Name), writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("webhook", webhook.Name);
            writer.WriteEndObject();
        });

    private static byte[] Write(string type, DateTimeOffset timestamp, string text, Action<Utf8JsonWriter> data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", UtcIsoDateTimeConverter.Format(timestamp));
            writer.WritePropertyName("data");
            data(writer);
            writer.WriteString("text", text);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
